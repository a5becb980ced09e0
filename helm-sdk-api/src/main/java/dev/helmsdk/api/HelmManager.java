package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;

/**
 * The entry point: one manager per cluster connection, built once and shared. Immutable and
 * thread-safe; {@link #close()} releases its connections and files.
 *
 * <p>Every operation starts a fluent request that ends in {@code run()}:
 * <pre>{@code
 * try (HelmManager helm = HelmSdk.builder().kubeConfig(Path.of("kubeconfig")).build()) {
 *     Release r = helm.install("shop").inNamespace("apps").createNamespace()
 *             .chart(ChartRef.local(Path.of("charts/shop")))
 *             .values(Path.of("values-prod.yaml"))
 *             .set("replicaCount", 3)
 *             .waitReady()
 *             .run();
 *     List<Release> history = helm.history("shop").inNamespace("apps").run();
 * }
 * }</pre>
 * Requests are immutable too: each call returns a new request, so a partly built one can be kept
 * and reused. Bad input (release names, namespaces, values, chart paths, timeouts) is rejected
 * with an {@link InvalidRequestException} before anything is sent to the cluster; a {@code null}
 * argument is a {@link NullPointerException} naming the parameter (see the package documentation).
 *
 * <p>Build the real manager with {@code dev.helmsdk.core.HelmSdk.builder()} (helm-sdk-core); tests
 * can use the testkit's fakes, or {@link #of(HelmEngine, String, Timeouts)} with an engine of their own.
 *
 * <p>Vocabulary: names are Helm's where Helm has the concept ({@code installIfAbsent} aside, which
 * says what {@code --install} does). {@link DeployRequest#rollbackOnFailure()} is Helm's
 * {@code --atomic} ({@code --rollback-on-failure} from Helm 4): a failed install or upgrade is undone.
 * {@link RollbackRequest#cleanupOnFail()} is Helm's {@code --cleanup-on-fail}: a failed rollback
 * deletes what it created but is not undone. {@link ListRequest#allNamespaces()} is
 * {@code --all-namespaces}. Methods that collect ({@code values}, {@code set}, {@code healthCheck},
 * {@code withStatus}) add to what earlier calls gave; methods that choose ({@code inNamespace},
 * {@code timeouts}, {@code chart}, {@code description}) replace it.
 */
public interface HelmManager extends AutoCloseable {

    /** Installs a new release. */
    InstallRequest install(String releaseName);

    /** Upgrades a release (optionally installing it when absent). */
    UpgradeRequest upgrade(String releaseName);

    /** Uninstalls a release. */
    UninstallRequest uninstall(String releaseName);

    /** Rolls a release back to an earlier revision (by default the one before the latest). */
    RollbackRequest rollback(String releaseName);

    /** Runs the release's {@code helm test} hooks. */
    TestRequest test(String releaseName);

    /** Reads the status of a release. */
    StatusRequest status(String releaseName);

    /**
     * Whether a release exists: its latest revision, or empty, never a {@link ReleaseNotFoundException}.
     * One read, no lock. See {@link ExistsRequest} for what counts as present.
     */
    ExistsRequest exists(String releaseName);

    /**
     * Whether upgrading a release to a chart and values would change anything, and what differs
     * (chart, values, rendered manifest). Reads once and renders once; takes no lock and changes
     * nothing, so a controller can call it on every reconcile. See {@link NeedsUpgradeRequest}.
     */
    NeedsUpgradeRequest needsUpgrade(String releaseName);

    /** Reads the revision history of a release, oldest first. */
    HistoryRequest history(String releaseName);

    /** Reads the values of a release revision. */
    ValuesRequest values(String releaseName);

    /** Reads the manifest of a release revision. */
    ManifestRequest manifest(String releaseName);

    /** Lists releases. */
    ListRequest list();

    /** Renders a chart locally for a release name, as {@code helm template}. */
    TemplateRequest template(String releaseName);

    /** Lints a local chart. */
    LintRequest lint(ChartRef chart);

    /**
     * Compares a release's deployed revision with the live cluster, and optionally corrects what drifted. See
     * {@link DriftRequest}. A default method, so managers written before it still compile: it throws
     * {@link HelmOperationException} saying the manager does not support drift; the SDK's managers and the testkit's
     * fakes do.
     */
    default DriftRequest drift(String releaseName) {
        java.util.Objects.requireNonNull(releaseName, "releaseName");
        throw new HelmOperationException(Operation.DRIFT, releaseName, getClass().getName() + " does not support drift detection",
                "", null);
    }

    /** The namespace used when a request names none. */
    String defaultNamespace();

    /** The limits used when a request sets none. */
    Timeouts timeouts();

    /** Releases connections, threads and temporary files. Idempotent. */
    @Override
    void close();

    /**
     * This manager, or what it is built on, as {@code type}, for extensions that work with a
     * particular implementation (as JDBC's {@code unwrap}): a manager made by {@link #of} also
     * offers its engine.
     *
     * @param type the type wanted
     * @param <T>  that type
     * @return this manager or its engine as {@code type}, or empty when neither is one
     */
    default <T> java.util.Optional<T> unwrap(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
    }

    /**
     * This manager acting for {@code actor}: the same releases, connections and settings, with every
     * operation attributed to {@code actor} in what interceptors see ({@link
     * dev.helmsdk.api.spi.OperationEvent#actor()}) and so in audit trails: a controller's identity, a CI
     * job's user. Cheap (nothing is copied); closing the returned manager does nothing, close this one.
     *
     * @param actor who asks, as the caller names itself (e.g. {@code ci:jenkins/deploy-shop#412}); not blank,
     *              at most 256 characters, no line breaks
     * @return a manager acting for {@code actor}
     * @throws InvalidRequestException when {@code actor} is blank, too long or has a line break
     * @throws UnsupportedOperationException when this manager cannot attribute operations (the default)
     */
    default HelmManager withActor(String actor) {
        java.util.Objects.requireNonNull(actor, "actor");
        throw new UnsupportedOperationException(getClass().getName() + " does not attribute operations to actors");
    }

    /**
     * A manager over any {@link HelmEngine}: how helm-sdk-core and the testkit's fakes are exposed,
     * and how a test can plug in an engine of its own. The manager checks every request and applies
     * its defaults before the engine sees it (see {@link HelmEngine} for what is guaranteed), and
     * {@link #close()} closes the engine.
     *
     * @param engine           carries out the operations
     * @param defaultNamespace the namespace of requests that name none; checked as a namespace
     * @param timeouts         the limits of requests that set none
     * @throws InvalidRequestException when {@code defaultNamespace} is not a valid namespace name
     */
    static HelmManager of(HelmEngine engine, String defaultNamespace, Timeouts timeouts) {
        java.util.Objects.requireNonNull(defaultNamespace, "defaultNamespace");
        return new EngineHelmManager(engine, defaultNamespace, timeouts);
    }
}
