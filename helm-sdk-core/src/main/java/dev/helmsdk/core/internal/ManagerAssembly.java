package dev.helmsdk.core.internal;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.core.internal.secrets.SecretResolution;
import dev.helmsdk.core.internal.secrets.SecretResolvers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.isolated.ChildProcessHelmCalls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Puts a manager together from what {@code HelmSdk.Builder} collected: the cluster connection,
 * how Helm reaches the cluster, the runner, the locks, the engine. The one way from the public
 * builder into the implementation, so that nothing else here needs to be public.
 */
public final class ManagerAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(ManagerAssembly.class);

    private ManagerAssembly() {
    }

    /**
     * What the builder collected, validated by it; at most one of the first four is set.
     *
     * @param kubeConfigFile      a kubeconfig file, or {@code null}
     * @param kubeConfigContents  kubeconfig contents, or {@code null}
     * @param config              a fabric8 configuration, or {@code null}
     * @param client              a caller's own client (not closed with the manager), or {@code null}
     * @param defaultNamespace    the manager's namespace, or {@code null} for the kubeconfig's
     * @param timeouts            the manager's limits
     * @param meterRegistry       where meters go, or {@code null} for none
     * @param workDirectory       the work directory, or {@code null} for a temporary one
     * @param maxHistory          revisions kept per release (0: all)
     * @param inProcess           Helm runs in this JVM rather than in child processes
     * @param isolatedHelmCommand the child processes' command, or {@code null} for the default
     * @param clusterLocks        changes take the release's Lease
     * @param recoverStuckAfter   when a pending revision counts as stuck, or {@code null} for never
     * @param chartSources        repositories and registries
     * @param interceptors        interceptors given on the builder
     * @param discoverInterceptors whether {@code ServiceLoader} interceptors are added
     * @param secretResolvers     secret resolvers given on the builder
     * @param resolveSecrets      whether references in values are resolved (with the {@code ServiceLoader} resolvers too)
     * @param secretCacheTtls     how long each scheme's resolved values are kept (none named: resolved on every operation)
     * @param actor               who operations are for unless a {@code withActor} view names someone; empty for nobody
     * @param auditSinks          audit sinks given on the builder
     * @param discoverAuditSinks  whether {@code ServiceLoader} audit sinks are added
     * @param auditPolicy         what a sink failure does to a change
     * @param meterReleaseNames   whether meters carry a {@code release} tag
     * @param observationRegistry where operations and their phases are observed (spans), or {@code null} for nowhere
     * @param validators          dry-run validators given on the builder
     * @param discoverValidators  whether {@code ServiceLoader} dry-run validators are added
     * @param builtInValidators   the built-in dry-run validators enabled
     * @param policyFiles         CEL policy files every dry run checks
     * @param releaseCache        which release records reads take from a watch-fed cache, or {@code null} for none
     */
    public record Settings(Path kubeConfigFile, String kubeConfigContents, Config config, KubernetesClient client,
                           String defaultNamespace, Timeouts timeouts, MeterRegistry meterRegistry, Path workDirectory,
                           int maxHistory, boolean inProcess, List<String> isolatedHelmCommand, boolean clusterLocks,
                           Duration recoverStuckAfter, ChartSources chartSources, List<OperationInterceptor> interceptors,
                           boolean discoverInterceptors, List<SecretResolver> secretResolvers, boolean resolveSecrets,
                           Map<String, Duration> secretCacheTtls, String actor,
                           List<dev.helmsdk.api.audit.AuditSink> auditSinks, boolean discoverAuditSinks,
                           dev.helmsdk.api.audit.AuditPolicy auditPolicy, boolean meterReleaseNames,
                           io.micrometer.observation.ObservationRegistry observationRegistry,
                           List<dev.helmsdk.api.report.ReleaseValidator> validators, boolean discoverValidators,
                           java.util.Set<dev.helmsdk.core.BuiltInValidator> builtInValidators, List<Path> policyFiles,
                           dev.helmsdk.core.ReleaseCache releaseCache) {

        /**
         * Copies the lists; requires timeouts, chart sources and interceptors.
         *
         * @throws InvalidRequestException when more than one way to reach the cluster is given
         */
        public Settings {
            int ways = (kubeConfigFile != null ? 1 : 0) + (kubeConfigContents != null ? 1 : 0) + (config != null ? 1 : 0) + (client != null ? 1 : 0);
            if (ways > 1) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "give one of kubeConfig(path), kubeConfigContents(yaml), kubernetesConfig(config) or kubernetesClient(client), not " + ways);
            }
            Objects.requireNonNull(timeouts, "timeouts");
            Objects.requireNonNull(chartSources, "chartSources");
            interceptors = List.copyOf(Objects.requireNonNull(interceptors, "interceptors"));
            secretResolvers = List.copyOf(Objects.requireNonNull(secretResolvers, "secretResolvers"));
            secretCacheTtls = Map.copyOf(Objects.requireNonNull(secretCacheTtls, "secretCacheTtls"));
            isolatedHelmCommand = isolatedHelmCommand == null ? null : List.copyOf(isolatedHelmCommand);
            auditSinks = List.copyOf(Objects.requireNonNull(auditSinks, "auditSinks"));
            Objects.requireNonNull(auditPolicy, "auditPolicy");
            validators = List.copyOf(Objects.requireNonNull(validators, "validators"));
            builtInValidators = java.util.Set.copyOf(Objects.requireNonNull(builtInValidators, "builtInValidators"));
            policyFiles = List.copyOf(Objects.requireNonNull(policyFiles, "policyFiles"));
        }
    }

    // ---- the builder's rules for single settings, here so that the fake manager checks them alike ----

    /**
     * {@code revisions}, when it is a valid {@code maxHistory}: 0 (keep all) or more.
     *
     * @throws InvalidRequestException naming the value otherwise
     */
    public static int checkMaxHistory(int revisions) {
        if (revisions < 0) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    "maxHistory must be 0 (keep all) or positive, was " + revisions);
        }
        return revisions;
    }

    /**
     * {@code pendingFor}, when it is a valid age for a pending revision to count as stuck: zero or more.
     *
     * @throws InvalidRequestException naming the value otherwise
     */
    public static Duration checkRecoverStuckAfter(Duration pendingFor) {
        if (pendingFor.isNegative()) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    "recoverStuckReleases needs a duration of zero or more, was " + pendingFor);
        }
        return pendingFor;
    }

    /**
     * A copy of {@code command}, when it is a valid isolated Helm command: a non-empty list of non-empty arguments.
     *
     * @throws InvalidRequestException naming the command otherwise
     */
    public static List<String> checkIsolatedHelmCommand(List<String> command) {
        if (command.isEmpty() || command.stream().anyMatch(a -> a == null || a.isEmpty())) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    "the isolated Helm command must be a non-empty list of non-empty arguments, was " + command);
        }
        return List.copyOf(command);
    }

    /**
     * {@code ttl}, when it is a valid time to keep {@code scheme}'s resolved values: positive.
     *
     * @throws InvalidRequestException naming the scheme and value otherwise
     */
    public static Duration checkSecretCacheTtl(String scheme, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidRequestException(Operation.CONFIGURE, null, "secretCacheTtl for scheme '" + scheme
                    + "' must be positive, was " + ttl + "; leave it unset to resolve on every operation");
        }
        return ttl;
    }

    /** The command that starts an isolated Helm process by default. */
    public static List<String> defaultIsolatedHelmCommand() {
        return ChildProcessHelmCalls.defaultCommand();
    }

    /** Connects, and builds the manager. */
    public static HelmManager build(Settings s) {
        // Before connecting: two resolvers claiming one scheme is a configuration error.
        SecretResolvers resolvers = s.resolveSecrets()
                ? SecretResolvers.of(SecretResolvers.discover(OperationSeams.contextLoader()), s.secretResolvers()) : null;
        ObjectMapper json = new ObjectMapper();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        // Before connecting too: a policy rule that does not compile is a configuration error.
        dev.helmsdk.core.internal.report.DryRunRules dryRunRules = dryRunRules(s, yaml);
        KubeAccess access;
        KubernetesClient kube;
        boolean ownsClient = s.client() == null;
        // The runner starts threads, so it is made once the connection is known to work; an exec
        // plugin run for a request is bounded by the deadline of the operation sending it, its first run by the start limit.
        AtomicReference<OperationRunner> runnerOnceBuilt = new AtomicReference<>();
        Supplier<Optional<Deadline>> deadlines = () -> Optional.ofNullable(runnerOnceBuilt.get())
                .flatMap(OperationRunner::currentDeadline);
        if (s.kubeConfigFile() != null) {
            String text;
            try {
                text = Files.readString(s.kubeConfigFile());
            } catch (IOException e) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "cannot read kubeconfig " + s.kubeConfigFile() + ": " + e, e);
            }
            Path file = s.kubeConfigFile().toAbsolutePath();
            kube = newClient(KubeConfigWriter.load(text, file, yaml, deadlines, s.timeouts().start()));
            access = KubeAccess.ofFile(file);   // Helm runs its exec plugin, reads its tokenFile
        } else if (s.kubeConfigContents() != null) {
            kube = newClient(KubeConfigWriter.load(s.kubeConfigContents(), null, yaml, deadlines, s.timeouts().start()));
            access = KubeAccess.ofContents(s.kubeConfigContents());
        } else {
            // A copy: the caller's Config stays as it was given.
            kube = s.client() != null ? s.client() : newClient(KubeConfigWriter.withLiveTokenFile(
                    s.config() != null ? new ConfigBuilder(s.config()).build() : Config.autoConfigure(null), yaml));
            access = KubeConfigWriter.forHelm(kube.getConfiguration(), yaml);
        }
        String namespace = s.defaultNamespace() != null ? s.defaultNamespace()
                : Objects.requireNonNullElse(kube.getConfiguration().getNamespace(), "default");
        String missing = NativeHelm.homeWarning();
        if (s.inProcess() && !missing.isEmpty()) {
            LOG.warn("{} not set in this JVM's environment: Helm's native code will keep caches under the home directory."
                    + " Set them when starting the JVM to keep it out of there.", missing);
        }
        // From here on what the build starts (the client it made, the cache's watches, the runner's threads, the work
        // directory) is closed again, last first, if a later step fails: a failed build leaves nothing running.
        java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        if (ownsClient) {
            started.push(kube::close);
        }
        try {
            return assemble(s, kube, ownsClient, access, namespace, resolvers, json, yaml, dryRunRules, runnerOnceBuilt, started);
        } catch (RuntimeException | Error e) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The manager on a working connection; everything it starts goes on {@code started}, to be closed if a later step fails. */
    private static HelmManager assemble(Settings s, KubernetesClient kube, boolean ownsClient, KubeAccess access, String namespace,
                                        SecretResolvers resolvers, ObjectMapper json, ObjectMapper yaml,
                                        dev.helmsdk.core.internal.report.DryRunRules dryRunRules,
                                        AtomicReference<OperationRunner> runnerOnceBuilt, java.util.Deque<AutoCloseable> started) {
        // The cache lists before anything else is started, so a refusal (RBAC) fails the build with little to undo.
        dev.helmsdk.core.internal.cache.WatchedReleases cache = s.releaseCache() == null ? null
                : dev.helmsdk.core.internal.cache.WatchedReleases.start(kube, s.releaseCache(), s.meterRegistry());
        if (cache != null) {
            started.push(cache);
        }
        WorkDirectory dir = s.workDirectory() != null ? WorkDirectory.at(s.workDirectory()) : WorkDirectory.temporary();
        started.push(dir);
        OperationRunner runner = new OperationSeams(s.interceptors(), s.discoverInterceptors(), s.auditSinks(), s.discoverAuditSinks(),
                s.auditPolicy(), s.meterRegistry(), s.meterReleaseNames(), s.observationRegistry(), s.actor()).runner();
        started.push(runner);
        runnerOnceBuilt.set(runner);
        // Resolvers reading from the cluster (ref+k8s://) use the manager's connection, bounded like its own calls.
        BoundedClient forResolvers = runner.bound(kube);
        SecretResolution secrets = resolvers == null ? null
                : new SecretResolution(resolvers, deadline -> List.of(forResolvers.within(deadline)), s.secretCacheTtls());
        HelmJavaEngine engine = new HelmJavaEngine(kube, ownsClient, access, dir, runner, json, yaml, s.maxHistory(),
                NativeHelmCalls.namingPhases(helmCalls(s, dir), runner::currentDeadline), new ReleaseLocks(runner.bound(kube), s.clusterLocks(), runner.scheduler(), runner::signal),
                s.recoverStuckAfter(), s.chartSources(), secrets, dryRunRules, cache);
        started.clear();
        started.push(engine);   // closes all of the above (the client if it made it)
        return HelmManager.of(engine, namespace, s.timeouts());
    }

    /** The dry runs' validators (found ones first, then the builder's) and policy rules. */
    private static dev.helmsdk.core.internal.report.DryRunRules dryRunRules(Settings s, ObjectMapper yaml) {
        List<dev.helmsdk.api.report.ReleaseValidator> validators = new java.util.ArrayList<>();
        if (s.discoverValidators()) {
            validators.addAll(Services.discover(dev.helmsdk.api.report.ReleaseValidator.class, OperationSeams.contextLoader(), "a dry-run validator"));
        }
        validators.addAll(s.validators());
        return dev.helmsdk.core.internal.report.DryRunRules.of(validators, s.builtInValidators(), s.policyFiles(), yaml);
    }

    private static NativeHelmCalls helmCalls(Settings s, WorkDirectory dir) {
        if (s.inProcess()) {
            return new InProcessHelmCalls();
        }
        return new ChildProcessHelmCalls(dir.path(),
                s.isolatedHelmCommand() != null ? s.isolatedHelmCommand() : ChildProcessHelmCalls.defaultCommand(),
                ChildProcessHelmCalls.DEFAULT_MAX_PROCESSES);
    }

    private static KubernetesClient newClient(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(http -> {
            if (config.getOauthTokenProvider() instanceof ExecCredentialPlugin plugin) {
                http.addOrReplaceInterceptor("helm-sdk-exec-plugin", plugin.onUnauthorized());
            }
        }).build();
    }
}
