package dev.helmsdk.core;

import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.internal.ManagerAssembly;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds the real {@link HelmManager}: Helm itself (helm-java) for changes, the Kubernetes API
 * (fabric8) for reads of release records.
 *
 * <pre>{@code
 * try (HelmManager helm = HelmSdk.builder().kubeConfig(Path.of("kubeconfig")).defaultNamespace("apps").build()) {
 *     helm.install("web").chart(ChartRef.local(Path.of("charts/web"))).waitReady().run();
 * }
 * }</pre>
 *
 * <h2>What the manager does to its process</h2>
 * This section is about the default, {@link HelmProcess#IN_PROCESS}; with
 * {@link Builder#helmProcess(HelmProcess) HelmProcess.ISOLATED} none of it applies, since Helm runs in
 * child processes. The native Helm library is loaded once per JVM on first use (about 100 MB under
 * {@code java.io.tmpdir}, under a second). Before that, {@code jna.tmpdir} is pointed under
 * {@code java.io.tmpdir} unless already set, so nothing is unpacked into the home directory.
 * After every install and upgrade the JVM's SIGTERM/SIGINT/SIGHUP handlers are put back, because
 * Helm's Go code takes them and the JVM would otherwise ignore SIGTERM. Helm's Go code reads its
 * cache locations only from the environment the JVM was started with: set {@code KUBECACHEDIR},
 * {@code HELM_CACHE_HOME}, {@code HELM_CONFIG_HOME} and {@code HELM_DATA_HOME} there to keep it out of
 * the home directory ({@link Builder#build()} logs a warning naming the unset ones).
 *
 * <h2>Time limits</h2>
 * Every operation runs within its {@link Timeouts} (start, plus readiness when waiting), and Helm is
 * given its own timeout too. On timeout the caller gets an {@link dev.helmsdk.api.OperationTimeoutException}
 * at once. In process, a native Helm call cannot be interrupted: it goes on in the background until
 * Helm's own timeout or the API server ends it, and may still change the cluster. With
 * {@link HelmProcess#ISOLATED} the process running the call is killed at the limit, and the call
 * makes no further request. Every request the manager sends itself (the release's {@code Lease}, release records,
 * readiness polls) is bounded by the operation's remaining time through fabric8's per-request
 * timeout, and none is sent once the time is up; the caller may be kept at most
 * half a second past the limit, while the release's Lease is given back.
 */
public final class HelmSdk {


    /** Revision records kept per release unless {@link Builder#maxHistory(int)} says otherwise. */
    public static final int DEFAULT_MAX_HISTORY = 10;

    /**
     * The main class of an isolated Helm process, for {@link Builder#isolatedHelmCommand(List)}. Its
     * name is stable across versions, though it lives in an internal package.
     */
    public static final String ISOLATED_HELM_MAIN_CLASS = "dev.helmsdk.core.internal.isolated.HelmCallServer";

    private HelmSdk() {
    }

    /**
     * Where Helm runs. Helm (helm-java) is Go code loaded into a JVM as a native library; a call
     * into it cannot be interrupted, and the library reads its environment once and takes the
     * JVM's signal handlers.
     */
    public enum HelmProcess {
        /**
         * Helm runs in this JVM (the default). Fastest, and no other process, but a call that
         * passes its time limit is only abandoned, not stopped: it goes on in the background (a
         * call against an API server that accepts connections and never answers was seen to hang
         * for minutes) and may still change the cluster after the caller got its timeout. Helm's
         * caches go under the home directory unless {@code KUBECACHEDIR}, {@code HELM_CACHE_HOME},
         * {@code HELM_CONFIG_HOME} and {@code HELM_DATA_HOME} are set when the JVM starts, and
         * the JVM's SIGTERM/SIGINT/SIGHUP handlers must be put back after each call (the manager
         * does it).
         */
        IN_PROCESS,
        /**
         * Helm runs in child JVMs started by the manager on first use, reused, at most four at a
         * time (one call each; further calls wait), and killed on {@link HelmManager#close()}.
         * What it buys: a call that passes its time limit is stopped for real (its process, and
         * anything that process started, is killed at once, so it sends no further request to the
         * cluster); Helm's caches go under the manager's {@link Builder#workDirectory(Path) work
         * directory}, never the home directory, whatever this JVM's environment; this JVM's
         * signal handlers are never touched, and a crash in native code cannot take it down. What
         * it costs (measured on 2 cores against the testkit's embedded API): a child JVM with its
         * own copy of the native library, about 150 MB resident each; about 0.9 s for the first
         * call of a child (0.3 s JVM start, the rest the library load that in process the first
         * call pays too, 0.5 s), paid again after a kill; and per call about 2 ms more for a
         * template (5 ms instead of 3), nothing measurable for an install (72 ms either way).
         * Children exit by themselves when this JVM dies. The
         * children run {@link #ISOLATED_HELM_MAIN_CLASS} with this JVM's {@code java} and class
         * path; applications launched from a fat jar (whose class path the child cannot use) give
         * the command with {@link Builder#isolatedHelmCommand(List)}.
         */
        ISOLATED
    }

    /**
     * The command that starts an isolated Helm process unless {@link Builder#isolatedHelmCommand(List)}
     * says otherwise: this JVM's {@code java}, options for a small child JVM, this JVM's class path and
     * {@link #ISOLATED_HELM_MAIN_CLASS}. A starting point for a command of one's own.
     */
    public static List<String> defaultIsolatedHelmCommand() {
        return ManagerAssembly.defaultIsolatedHelmCommand();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder of a {@link ChartLifecycle}: packaging, signing, pushing, pulling and dependency updates of charts,
     * with no cluster.
     */
    public static ChartLifecycle.Builder chartLifecycle() {
        return ChartLifecycle.builder();
    }

    /**
     * Builder of {@link HelmManager}. Choose at most one way to reach the cluster; with none, the
     * fabric8 default is used (the {@code KUBECONFIG} / {@code ~/.kube/config} file, or the in-cluster
     * service account). Not thread-safe; the manager it builds is.
     */
    public static final class Builder {
        private Path kubeConfigFile;
        private String kubeConfigContents;
        private Config config;
        private KubernetesClient client;
        private String defaultNamespace;
        private Timeouts timeouts = Timeouts.ofDefaults();
        private MeterRegistry meterRegistry;
        private String actor = "";
        private Path workDirectory;
        private int maxHistory = DEFAULT_MAX_HISTORY;
        private HelmProcess helmProcess = HelmProcess.IN_PROCESS;
        private List<String> isolatedHelmCommand;
        private boolean clusterLocks = true;
        private Duration recoverStuckAfter;
        private ChartSources chartSources;
        private final List<dev.helmsdk.api.spi.OperationInterceptor> interceptors = new java.util.ArrayList<>();
        private boolean discoverInterceptors = true;
        private final List<dev.helmsdk.api.audit.AuditSink> auditSinks = new java.util.ArrayList<>();
        private boolean discoverAuditSinks = true;
        private dev.helmsdk.api.audit.AuditPolicy auditPolicy = dev.helmsdk.api.audit.AuditPolicy.FAIL_CLOSED;
        private final List<dev.helmsdk.api.secrets.SecretResolver> secretResolvers = new java.util.ArrayList<>();
        private boolean resolveSecrets = true;
        private final java.util.Map<String, Duration> secretCacheTtls = new java.util.HashMap<>();
        private boolean meterReleaseNames;

        private Builder() {
        }

        /**
         * Reach the cluster through this kubeconfig file (its current context). Helm reads the file
         * itself at every operation, so an {@code exec} plugin (EKS, GKE) is run again when its
         * credential expires (client-go reuses it until then) and a {@code tokenFile} is re-read; the
         * SDK's own requests do the same: the SDK runs the plugin when the manager is built, within
         * the start limit, and again shortly before its token's {@code expirationTimestamp} (without
         * one: when the server answers 401), within the operation's remaining time; each run at most
         * 30 s (a plugin still running then is stopped with its children), and reads the token file at
         * every request. A plugin that gives a client certificate instead of a token is run only when
         * the manager is built.
         */
        public Builder kubeConfig(Path file) {
            this.kubeConfigFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Reach the cluster through this kubeconfig text (its current context). Helm gets the text at
         * every operation and handles an {@code exec} plugin or {@code tokenFile} in it as with
         * {@link #kubeConfig(Path)} (relative paths: from the working directory), and so do the
         * SDK's own requests.
         */
        public Builder kubeConfigContents(String yaml) {
            this.kubeConfigContents = Objects.requireNonNull(yaml, "yaml");
            return this;
        }

        /**
         * Reach the cluster with this fabric8 configuration (the SDK uses a copy). Helm gets a
         * credential that is current at every operation: the {@code exec} plugin or
         * {@code tokenFile} of the kubeconfig the configuration was loaded from (unless a token was
         * set on it), the configuration's {@link io.fabric8.kubernetes.client.OAuthTokenProvider}
         * asked anew, the in-cluster service account token as its file; a token set as such is used as it is.
         */
        public Builder kubernetesConfig(Config config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Reach the cluster with this fabric8 client; it stays the caller's to close. Helm gets the
         * client's credentials as with {@link #kubernetesConfig(Config)}; a {@code tokenFile} of its
         * kubeconfig reaches Helm, but the client itself sends no token for it (fabric8 ignores
         * {@code tokenFile}): give {@link #kubernetesConfig(Config)} instead.
         */
        public Builder kubernetesClient(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The namespace for requests that name none; default: the kubeconfig context's, else {@code default}. */
        public Builder defaultNamespace(String namespace) {
            this.defaultNamespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** The limits for requests that set none; default {@link Timeouts#ofDefaults()}. */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Adds an interceptor that sees every operation before and after (see
         * {@link dev.helmsdk.api.spi.OperationInterceptor}), beside those found by {@link java.util.ServiceLoader}.
         */
        public Builder interceptor(dev.helmsdk.api.spi.OperationInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Whether to add the interceptors {@link java.util.ServiceLoader} finds on the class path
         * ({@code META-INF/services/dev.helmsdk.api.spi.OperationInterceptor}); default {@code true}.
         */
        public Builder discoverInterceptors(boolean discover) {
            this.discoverInterceptors = discover;
            return this;
        }

        /**
         * Adds a resolver for secret references in values ({@code ref+<scheme>://...}), beside those
         * {@link java.util.ServiceLoader} finds; it serves its schemes in place of a found one (a
         * configured instance, a test's fake store). Two given resolvers claiming one scheme fail
         * {@link #build()}.
         */
        public Builder secretResolver(dev.helmsdk.api.secrets.SecretResolver resolver) {
            secretResolvers.add(Objects.requireNonNull(resolver, "resolver"));
            return this;
        }

        /**
         * Keeps the values references of {@code scheme} resolve to for {@code ttl}, in this manager's
         * memory, so operations within it do not ask the store again (a failure is never kept). By
         * default nothing is kept: every operation resolves every reference. A rotated secret then
         * reaches the cluster up to {@code ttl} late.
         *
         * @param scheme a reference scheme, e.g. {@code vault}
         * @param ttl    how long a value is kept; positive
         */
        public Builder secretCacheTtl(String scheme, Duration ttl) {
            Objects.requireNonNull(scheme, "scheme");
            secretCacheTtls.put(scheme.toLowerCase(java.util.Locale.ROOT),
                    ManagerAssembly.checkSecretCacheTtl(scheme, Objects.requireNonNull(ttl, "ttl")));
            return this;
        }

        /**
         * Whether install, upgrade, dry run and template replace the secret references in their
         * values before anything else happens; default {@code true}. Off, references reach Helm as text.
         */
        public Builder resolveSecrets(boolean resolve) {
            this.resolveSecrets = resolve;
            return this;
        }

        /**
         * Who this manager's operations are for, as interceptors and audit trails record it
         * ({@link dev.helmsdk.api.spi.OperationEvent#actor()}): the controller's identity, the CI job's
         * user. {@link HelmManager#withActor(String)} names someone else for the calls of one view.
         * Default: nobody named (empty).
         *
         * @param actor who asks; not blank, at most 256 characters, one line
         * @return this builder
         * @throws InvalidRequestException when {@code actor} breaks those rules
         */
        public Builder actor(String actor) {
            this.actor = dev.helmsdk.api.spi.OperationEvent.requireActor(actor);
            return this;
        }

        /**
         * Records helm-sdk's meters here; the README's table "Metrics" lists every one with its tags.
         * Every tag value is lower-case words joined by {@code _}, except a repository's {@code host}
         * (and the {@code release} of {@link #meterReleaseNames(boolean)}). Among them:
         * <ul>
         *   <li>{@code helm.sdk.operations}, a timer of every operation (the automatic rollback's
         *       included): tag {@code operation} as {@link dev.helmsdk.api.Operation#tag()}
         *       ({@code install}, {@code dry_run}, {@code needs_upgrade}, ...), tag {@code outcome}
         *       {@code success}, {@code error}, or the kind of exception without {@code Exception}
         *       ({@code release_not_found}, {@code operation_timeout}, {@code auto_rollback},
         *       {@code invalid_request}, ...);</li>
         *   <li>{@code helm.sdk.chart.fetch}, a timer of remote chart downloads: tag {@code source}
         *       {@code repository} or {@code oci}, tag {@code outcome} {@code success},
         *       {@code not_found}, {@code invalid_request}, {@code error} or the
         *       {@link dev.helmsdk.api.ChartSourceException.Reason} ({@code unauthorized},
         *       {@code insecure_transport}, ...);</li>
         *   <li>{@code helm.sdk.chart.index}, a counter of repository index lookups: tag
         *       {@code result} {@code hit}, {@code revalidated} or {@code downloaded}.</li>
         * </ul>
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        // ---- metrics ----

        /**
         * Whether the meters of {@link #meterRegistry(MeterRegistry)} also carry a {@code release} tag, the
         * release's name ({@code none} for operations across releases); default {@code false}. It multiplies
         * the time series by the number of releases (every operation, outcome and phase, per release): fine for
         * a controller of a few dozen releases, costly in a monitoring system for thousands. Off, dashboards
         * aggregate over all releases, and the logs and the audit trail name the release.
         *
         * @param enabled whether to tag meters with the release's name
         * @return this builder
         */
        public Builder meterReleaseNames(boolean enabled) {
            this.meterReleaseNames = enabled;
            return this;
        }

        /**
         * How many revision records to keep per release; older ones are deleted after each
         * successful install, upgrade or rollback, never the deployed one. Default
         * {@value HelmSdk#DEFAULT_MAX_HISTORY}, as the Helm CLI; 0 keeps them all.
         */
        public Builder maxHistory(int revisions) {
            this.maxHistory = ManagerAssembly.checkMaxHistory(revisions);
            return this;
        }

        /**
         * Whether changes to a release also take a Kubernetes {@code Lease} ({@code helm-sdk.<release>}
         * in its namespace) so that managers in other processes wait for each other; default on.
         * Needs permission to create, get, update and delete {@code leases.coordination.k8s.io} in
         * the release's namespace. Within one manager, changes to a release never interleave either way.
         * The Lease lasts 30 s and is renewed every 10 s while the change runs (never past the
         * operation's time limit), and deleted when it ends: just after the change returns, from a background
         * thread, so the caller does not wait for that request (this manager's next change of the release does,
         * and {@code close()} waits for every Lease still being given back). Handover is fair, first come first
         * served: waiters (polling every 200 ms) queue on the Lease (annotation
         * {@code helm-sdk.dev/waiters}), and a holder that ends hands the Lease to the longest-waiting
         * live one instead of deleting it, so a manager that changes the release in a loop takes turns
         * with the others rather than re-taking it; a waiter that gives up or dies drops out of the
         * queue within 3 s and costs the others at most one 3 s handover. A holder that crashed leaves
         * the Lease behind: the next caller in another process waits until it expires, up to 30 s (a
         * Lease left by this manager is taken over at once). Without contention, taking and giving
         * back the Lease is one request each.
         */
        public Builder clusterLocks(boolean enabled) {
            this.clusterLocks = enabled;
            return this;
        }

        /**
         * Recover stuck releases: when a change finds the release's latest revision still
         * {@code pending-*} for at least {@code pendingFor} while no helm-sdk operation holds the
         * release (its holder died), mark that revision {@code failed} (logged as a warning, and
         * said in its description) and carry out the change. Off by default: the change then fails
         * with {@link dev.helmsdk.api.ReleaseStuckException}.
         */
        public Builder recoverStuckReleases(Duration pendingFor) {
            this.recoverStuckAfter = ManagerAssembly.checkRecoverStuckAfter(Objects.requireNonNull(pendingFor, "pendingFor"));
            return this;
        }

        /**
         * Where the manager keeps its temporary files (merged values, fetched charts); default a
         * private temporary directory deleted on close.
         */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * How remote charts are reached: credentials, CAs, proxies, plain-HTTP and insecure hosts,
         * index cache. Default {@link ChartSources#defaults()}: discovered credential providers,
         * the JVM's trust store, HTTPS only, no proxy.
         */
        public Builder chartSources(ChartSources sources) {
            this.chartSources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /** Where Helm runs; default {@link HelmProcess#IN_PROCESS}. See {@link HelmProcess} for the trade-off. */
        public Builder helmProcess(HelmProcess process) {
            this.helmProcess = Objects.requireNonNull(process, "process");
            return this;
        }

        /**
         * Runs Helm in isolated processes ({@link HelmProcess#ISOLATED}) started with this command
         * instead of {@link #defaultIsolatedHelmCommand()}: a JVM (17 or later) that runs
         * {@link #ISOLATED_HELM_MAIN_CLASS} with this helm-sdk-core version and its dependencies
         * (helm-java, Jackson, SLF4J) on its class path, for example
         * {@code List.of("java", "-Xmx256m", "-cp", "/opt/app/lib/*", HelmSdk.ISOLATED_HELM_MAIN_CLASS)}.
         * The process speaks to the manager over its stdin and stdout, so the command must not
         * redirect them.
         */
        public Builder isolatedHelmCommand(List<String> command) {
            this.isolatedHelmCommand = ManagerAssembly.checkIsolatedHelmCommand(Objects.requireNonNull(command, "command"));
            this.helmProcess = HelmProcess.ISOLATED;
            return this;
        }

        // ---- audit ----

        /**
         * Adds a sink for the audit trail (see {@link dev.helmsdk.api.audit.AuditEvent}): every change's intent
         * before it starts and its outcome after, every automatic-rollback decision, lock takeover and secret
         * access; beside the sinks {@link java.util.ServiceLoader} finds. With no sink, no trail is written.
         * The manager does not close it.
         *
         * @param sink e.g. {@link dev.helmsdk.core.audit.JsonLinesAuditSink}, {@link dev.helmsdk.core.audit.Slf4jAuditSink}
         * @return this builder
         */
        public Builder auditSink(dev.helmsdk.api.audit.AuditSink sink) {
            auditSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Whether to add the audit sinks {@link java.util.ServiceLoader} finds on the class path
         * ({@code META-INF/services/dev.helmsdk.api.audit.AuditSink}); default {@code true}.
         */
        public Builder discoverAuditSinks(boolean discover) {
            this.discoverAuditSinks = discover;
            return this;
        }

        /**
         * What a failing audit sink does to a change. Default {@link dev.helmsdk.api.audit.AuditPolicy#FAIL_CLOSED}:
         * a change whose intent cannot be recorded is refused before it starts
         * ({@link dev.helmsdk.api.audit.AuditUnavailableException}), because a trail that silently misses
         * changes is what configuring a sink was meant to prevent; choose
         * {@link dev.helmsdk.api.audit.AuditPolicy#FAIL_OPEN} to put deployments first (failures are then logged
         * and counted as {@code helm.sdk.audit.failures}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder auditPolicy(dev.helmsdk.api.audit.AuditPolicy policy) {
            this.auditPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        // ---- end audit ----

        /**
         * Builds the manager.
         *
         * @throws InvalidRequestException     when more than one cluster connection was given, or the
         *                                     kubeconfig cannot be read
         * @throws OperationTimeoutException   when the kubeconfig's {@code exec} plugin did not finish
         *                                     within the start limit (it was stopped)
         * @throws ClusterCredentialException when that plugin failed or gave no credential
         */
        public HelmManager build() {
            return ManagerAssembly.build(new ManagerAssembly.Settings(kubeConfigFile, kubeConfigContents, config, client,
                    defaultNamespace, timeouts, meterRegistry, workDirectory, maxHistory, helmProcess == HelmProcess.IN_PROCESS,
                    isolatedHelmCommand, clusterLocks, recoverStuckAfter, chartSources != null ? chartSources : ChartSources.defaults(),
                    interceptors, discoverInterceptors, secretResolvers, resolveSecrets, secretCacheTtls, actor,
                    auditSinks, discoverAuditSinks, auditPolicy, meterReleaseNames,
                    observationRegistry, validators, discoverValidators, builtInValidators, policyFiles, releaseCache));
        }

        // ---- dry-run validators ----
        private final List<dev.helmsdk.api.report.ReleaseValidator> validators = new java.util.ArrayList<>();
        private boolean discoverValidators = true;
        private final java.util.Set<BuiltInValidator> builtInValidators = java.util.EnumSet.noneOf(BuiltInValidator.class);
        private final List<Path> policyFiles = new java.util.ArrayList<>();

        /**
         * Adds a validator every dry run runs on the objects the change would apply (its findings' check is
         * {@code validator:<name>}), beside those {@link java.util.ServiceLoader} finds.
         *
         * @param validator the validator
         * @return this builder
         */
        public Builder validator(dev.helmsdk.api.report.ReleaseValidator validator) {
            validators.add(Objects.requireNonNull(validator, "validator"));
            return this;
        }

        /**
         * Whether to add the validators {@link java.util.ServiceLoader} finds on the class path
         * ({@code META-INF/services/dev.helmsdk.api.report.ReleaseValidator}); default {@code true}.
         */
        public Builder discoverValidators(boolean discover) {
            this.discoverValidators = discover;
            return this;
        }

        /**
         * Enables built-in validators for every dry run (none is enabled by default); called again, adds to them.
         *
         * @param enabled e.g. {@link BuiltInValidator#IMAGE_TAGS}, {@link BuiltInValidator#PRIVILEGE}
         * @return this builder
         */
        public Builder builtInValidators(BuiltInValidator... enabled) {
            for (BuiltInValidator b : Objects.requireNonNull(enabled, "enabled")) {
                builtInValidators.add(Objects.requireNonNull(b, "enabled"));
            }
            return this;
        }

        /**
         * Adds a file of CEL policy rules every dry run checks the objects against, written like a
         * ValidatingAdmissionPolicy's validations (see the README for the format); read and compiled by
         * {@link #build()}, which refuses a file that cannot be read or a rule that does not compile
         * ({@link InvalidRequestException} naming the file and the rule). Needs {@code dev.cel:cel} on the class path.
         *
         * @param file a YAML file of policies
         * @return this builder
         */
        public Builder policyFile(Path file) {
            policyFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }
        // ---- end dry-run validators ----

        // ---- traces and logs ----
        private io.micrometer.observation.ObservationRegistry observationRegistry;

        /**
         * Observes every operation here (Micrometer Observation), so a tracing bridge (micrometer-tracing with
         * OpenTelemetry or Brave) gets one span per operation and one per phase inside it:
         * <ul>
         *   <li>{@code helm.sdk.operation}, contextual name {@code helm install}, {@code helm upgrade}, ...; low-cardinality
         *       keys {@code operation}, {@code outcome} ({@code success} or the error's kind, as on the meters) and
         *       {@code remediation} ({@code true} for the steps of an automatic rollback); high-cardinality keys
         *       {@code release} and {@code namespace}.</li>
         *   <li>{@code helm.sdk.phase}, under its operation, contextual name {@code helm install lock}; keys
         *       {@code phase} ({@link dev.helmsdk.api.spi.OperationPhase#tag()}), {@code operation}, {@code outcome}.
         *       An automatic rollback's own operation sits under the {@code remediate} phase of the change it undoes.</li>
         * </ul>
         * A failure is recorded as an error naming its kind and class, never its message. Default: none.
         *
         * @param registry where observations go
         * @return this builder
         */
        public Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        // ---- release cache ----
        private ReleaseCache releaseCache;

        /**
         * Keeps the release records of these namespaces (or the cluster) in memory, fed by a watch, so that
         * {@code status}, {@code exists}, {@code history}, {@code list}, {@code values}, {@code manifest} and the read
         * {@code needsUpgrade} makes send no request (see {@link ReleaseCache}). {@link #build()} starts the watches and
         * waits until they have listed; {@code close()} stops them. Default: no cache, every read goes to the API.
         * With a meter registry, counter {@code helm.sdk.reads.cache} (tags {@code operation}, {@code result}
         * {@code hit} or {@code miss}) counts the reads of cached namespaces.
         *
         * @param cache e.g. {@code ReleaseCache.namespaces("apps")} or {@code ReleaseCache.clusterWide()}
         * @return this builder
         */
        public Builder releaseCache(ReleaseCache cache) {
            this.releaseCache = Objects.requireNonNull(cache, "cache");
            return this;
        }
    }
}
