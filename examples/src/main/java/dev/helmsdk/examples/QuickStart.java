package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The quick start: installs a small bundled chart, upgrades it with a changed value, shows status
 * and history, and uninstalls it.
 *
 * <pre>
 *   QuickStart                         against an embedded Kubernetes API started for the run
 *   QuickStart --kubeconfig FILE       against a real cluster
 *              [--namespace NS]        (default: helm-sdk-quickstart)
 * </pre>
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        Path kubeconfig = null;
        String namespace = "helm-sdk-quickstart";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, "--kubeconfig"));
                case "--namespace" -> namespace = value(args, ++i, "--namespace");
                case "-h", "--help" -> {
                    System.out.println("usage: QuickStart [--kubeconfig FILE] [--namespace NS]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        EmbeddedKubernetes embedded = null;
        Path work = Files.createTempDirectory("helm-sdk-quickstart");
        try {
            if (kubeconfig == null) {
                step("No --kubeconfig given: starting an embedded Kubernetes API");
                embedded = EmbeddedKubernetes.start();
                kubeconfig = embedded.kubeConfigPath();
                System.out.println("    API server at " + embedded.url());
            } else {
                step("Using the cluster in " + kubeconfig);
            }
            int code = run(kubeconfig, namespace, BundledChart.hello(work));
            if (code != 0) {
                System.exit(code);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            deleteTree(work);
        }
    }

    private static int run(Path kubeconfig, String namespace, Path chartDir) {
        ChartRef chart = ChartRef.local(chartDir);
        try (HelmManager helm = HelmSdk.builder().kubeConfig(kubeconfig).defaultNamespace(namespace).build()) {
            step("Installing release 'hello' (chart " + chartDir.getFileName() + ") into namespace '" + namespace + "'");
            Release installed = helm.install("hello").createNamespace().chart(chart)
                    .set("message", "Hello from helm-sdk").onProgress(QuickStart::progress).waitReady(Duration.ofMinutes(5)).run();
            print(installed);

            step("Upgrading 'hello' with message=\"Hello again\" and 2 replicas");
            Release upgraded = helm.upgrade("hello").chart(chart).set("message", "Hello again").set("replicaCount", 2)
                    .onProgress(QuickStart::progress).waitReady(Duration.ofMinutes(5)).rollbackOnFailure().run();
            print(upgraded);
            System.out.println("    values now: " + helm.values("hello").run());

            step("Status");
            print(helm.status("hello").run());

            step("History");
            List<Release> history = helm.history("hello").run();
            System.out.printf("    %-9s %-12s %-14s %s%n", "REVISION", "STATUS", "CHART", "DESCRIPTION");
            for (Release r : history) {
                System.out.printf("    %-9d %-12s %-14s %s%n", r.revision(), r.status().helmName(), r.chart(), r.description());
            }

            step("Uninstalling 'hello'");
            Release removed = helm.uninstall("hello").run();
            System.out.println("    removed revision " + removed.revision() + "; releases left in '" + namespace + "': "
                    + helm.list().run().size());
            step("Done");
            return 0;
        } catch (HelmSdkException e) {
            System.err.println("FAILED during " + e.operation().tag() + ": " + e.getMessage()
                    + (e.retryable() ? " (retrying may help)" : ""));
            return 1;
        }
    }

    private static void print(Release r) {
        System.out.printf("    %s revision %d %s (chart %s, app %s) at %s: %s%n", r.name(), r.revision(), r.status().helmName(),
                r.chart(), r.appVersion(), r.lastDeployedAt().map(Instant::toString).orElse("-"), r.description());
        if (!r.notes().isEmpty()) {
            System.out.println("    notes: " + r.notes());
        }
    }

    private static void progress(ReadinessProgress p) {
        System.out.printf("    waiting (%d/%d ready after %d ms): %s%n", p.readyCount(), p.resources().size(),
                p.elapsed().toMillis(), p.resources());
    }

    private static void step(String what) {
        System.out.println("==> " + what);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** Deletes a directory tree (also used by the other examples). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
