package dev.helmsdk.examples.cli;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import io.fabric8.kubernetes.client.Config;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How every command reaches the cluster, and how long it may take. */
final class ClusterOptions {

    // Here rather than picocli's standard help mixin, whose -V/--version would clash with the chart's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples and exit codes.")
    boolean help;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--kube-context", paramLabel = "NAME", description = "The kubeconfig context to use (default: its current context).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
            description = "The release's namespace (default: the context's namespace, else default).")
    String namespace;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long each phase may take: reaching the cluster and the change itself, then the wait for readiness "
                    + "(300s, 5m, 1m30s, PT5M; default: 5m, and 10m for readiness).")
    Duration timeout;

    /** The SDK's manager for these options; the caller closes it. Secret resolvers and credential providers on the class path are found as the SDK finds them. */
    HelmManager connect() {
        return connect(b -> { });
    }

    /** As {@link #connect()}, with what a command adds to the builder (a dry run's validators and policies). */
    HelmManager connect(java.util.function.Consumer<HelmSdk.Builder> more) {
        HelmSdk.Builder b = HelmSdk.builder().timeouts(timeouts());
        if (namespace != null) {
            b.defaultNamespace(namespace);
        }
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    "cannot read the kubeconfig " + kubeconfig + ": give an existing file with --kubeconfig");
        }
        if (context != null) {
            // fabric8 picks the context; the SDK hands Helm a kubeconfig of that context (and its exec plugin or token file).
            b.kubernetesConfig(kubeconfig != null ? Config.fromKubeconfig(context, kubeconfig.toFile()) : Config.autoConfigure(context));
        } else if (kubeconfig != null) {
            b.kubeConfig(kubeconfig);
        }
        more.accept(b);
        return b.build();
    }

    Timeouts timeouts() {
        Timeouts t = Timeouts.ofDefaults();
        return timeout == null ? t : t.withStart(timeout).withReadiness(timeout);
    }

    Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }
}
