package dev.helmsdk.it.isolated;

import dev.helmsdk.testkit.SilentApiServer;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.HelmSdk.HelmProcess;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Isolated against in-process Helm, side by side: per-call time of {@code template} and
 * {@code install} against the embedded API, the first call of a fresh isolated manager (the child's
 * start), a child's memory, and how fast a timed-out call is stopped. Opt-in, and best run alone,
 * so that the in-process first call is this JVM's first load of the library:
 * {@code mvn -o test -pl helm-sdk-testkit -Dtest=IsolatedEngineBenchmark -Dhelm.sdk.bench=true}.
 * Prints a report and writes it to {@code target/isolated-engine-bench.txt}.
 */
@EnabledIfSystemProperty(named = "helm.sdk.bench", matches = "true")
class IsolatedEngineBenchmark {

    private static final int WARMUP = 5;
    private static final int RUNS = 20;
    private final StringBuilder report = new StringBuilder();

    @Test
    void isolatedAgainstInProcess() throws Exception {
        ChartRef web = IsolatedCallsReallyStopTest.web();
        line("helm-sdk isolated vs in-process Helm, %d cores, %s", Runtime.getRuntime().availableProcessors(), Instant.now());
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start()) {
            cluster.client().namespaces().list();
            long parentRssBefore = rssKb(ProcessHandle.current().pid());
            // First calls: in process, this JVM loads the library; isolated, a child JVM starts and loads its own.
            try (HelmManager in = manager(cluster, HelmProcess.IN_PROCESS)) {
                line("in-process first template (library load in this JVM): %d ms", time(() -> in.template("first").chart(web).run()));
            }
            long parentRssAfterLoad = rssKb(ProcessHandle.current().pid());
            line("this JVM's RSS: %d MB before the in-process library load, %d MB after", parentRssBefore / 1024, parentRssAfterLoad / 1024);

            List<Long> firsts = new ArrayList<>();
            List<Long> seconds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (HelmManager iso = manager(cluster, HelmProcess.ISOLATED)) {
                    firsts.add(time(() -> iso.template("first").chart(web).run()));
                    seconds.add(time(() -> iso.template("second").chart(web).run()));
                }
            }
            line("isolated first template of a fresh manager (child start + library load + call), 5 managers: median %d ms (all %s); its second call: median %d ms",
                    median(firsts), firsts, median(seconds));

            // Both managers open, calls alternating between them, so that neither gains from going second.
            Set<ProcessHandle> before = IsolatedCallsReallyStopTest.descendants();
            try (HelmManager in = manager(cluster, HelmProcess.IN_PROCESS); HelmManager iso = manager(cluster, HelmProcess.ISOLATED)) {
                in.install("seed").inNamespace("bench-in").createNamespace().chart(web).run();
                iso.install("seed").inNamespace("bench-iso").createNamespace().chart(web).run();
                List<List<Long>> template = alternate(() -> in.template("t").chart(web).run(), () -> iso.template("t").chart(web).run());
                int[] n = {0, 0};
                List<List<Long>> install = alternate(() -> in.install("r" + n[0]++).inNamespace("bench-in").chart(web).run(),
                        () -> iso.install("r" + n[1]++).inNamespace("bench-iso").chart(web).run());
                for (int e = 0; e < 2; e++) {
                    line("%-10s template: median %4d ms  p90 %4d ms  min %4d ms | install: median %4d ms  p90 %4d ms  min %4d ms",
                            HelmProcess.values()[e], median(template.get(e)), p90(template.get(e)), Collections.min(template.get(e)),
                            median(install.get(e)), p90(install.get(e)), Collections.min(install.get(e)));
                }
                for (ProcessHandle child : IsolatedCallsReallyStopTest.newProcesses(before)) {
                    line("  isolated child pid %d after %d calls: RSS %d MB, PSS %d MB", child.pid(), 2 * (WARMUP + RUNS) + 1,
                            rssKb(child.pid()) / 1024, pssKb(child.pid()) / 1024);
                }
            }
        }
        stopLatency();
        System.out.print(report);
        Files.writeString(Path.of("target", "isolated-engine-bench.txt"), report);
    }

    /** How long after its limit a timed-out isolated install returns, and when its connection is closed. */
    private void stopLatency() throws Exception {
        List<Long> late = new ArrayList<>();
        List<Long> closedAfter = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Locks off: this times Helm's child alone (a Lease request would go first and time out in this JVM).
            // The same bound with the default, locks on, is SilentServerBoundsTest's clusterLocks=true cases.
            try (SilentApiServer server = SilentApiServer.start();
                 HelmManager helm = HelmSdk.builder().kubeConfig(server.kubeConfigPath()).clusterLocks(false)
                         .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(1))).helmProcess(HelmProcess.ISOLATED).build()) {
                helm.template("warm").chart(IsolatedCallsReallyStopTest.web()).run();
                long start = System.nanoTime();
                OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
                        () -> helm.install("web").chart(IsolatedCallsReallyStopTest.web()).run());
                Instant returned = Instant.now();
                late.add((System.nanoTime() - start) / 1_000_000 - e.timeout().toMillis());
                Thread.sleep(500); // a window that collects every close of the killed child's connections
                server.log().stream().filter(ev -> ev.kind() == SilentApiServer.Kind.CLIENT_CLOSED)
                        .map(ev -> Duration.between(returned, ev.time()).toMillis()).max(Long::compare).ifPresent(closedAfter::add);
            }
        }
        line("timed-out isolated install: returned %s ms after its limit; its connections were closed by the killed child %s ms"
                + " after the caller got the timeout (negative: before)", late, closedAfter);
    }

    private static HelmManager manager(EmbeddedKubernetes cluster, HelmProcess process) {
        return HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).helmProcess(process).build();
    }

    /** Times {@code a} and {@code b} alternately, after a warm-up of each. */
    private static List<List<Long>> alternate(Supplier<?> a, Supplier<?> b) {
        for (int i = 0; i < WARMUP; i++) {
            a.get();
            b.get();
        }
        List<Long> as = new ArrayList<>();
        List<Long> bs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            as.add(time(a));
            bs.add(time(b));
        }
        return List.of(as, bs);
    }

    private static long time(Supplier<?> call) {
        long start = System.nanoTime();
        call.get();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static long p90(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get((int) Math.ceil(0.9 * s.size()) - 1);
    }

    private static long rssKb(long pid) throws IOException {
        return procField(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
    }

    private static long pssKb(long pid) throws IOException {
        return procField(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:");
    }

    private static long procField(Path file, String field) throws IOException {
        for (String l : Files.readAllLines(file)) {
            if (l.startsWith(field)) {
                return Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private void line(String format, Object... args) {
        report.append(String.format(format, args)).append('\n');
    }
}
