package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.ReleaseStatus;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link HelmManagerContract} subclass provides: the manager under test and what it can do
 * beyond the core semantics. Started once per test class and closed after it.
 *
 * <p>Only the core is required; each {@link Capability} the environment does not declare makes the
 * contract cases needing it <em>skipped</em> (a JUnit assumption, visible in the report), never
 * passed. A hook is called only when its capability is declared.
 */
public interface HelmManagerEnvironment extends AutoCloseable {

    /** What an environment may be able to do beyond the core semantics. */
    enum Capability {
        /**
         * Renders chart templates: manifests, notes, {@code template}, {@code lint}, the resources of
         * dry runs, the manifest comparison of {@code needsUpgrade}, and a chart whose template fails
         * to render raising {@link dev.helmsdk.api.HelmOperationException}.
         */
        RENDERING,
        /**
         * Observes workloads for readiness ({@code waitReady}) and can make one change fail it:
         * {@link HelmManagerEnvironment#arrangeReadinessFailure(String, String)}.
         */
        READINESS,
        /** Can leave a release pending: {@link HelmManagerEnvironment#markPending(String, String, int, ReleaseStatus)}. */
        PENDING_RELEASES,
        /** Has a cluster whose objects it can read: {@link HelmManagerEnvironment#liveConfigMap(String, String)}. */
        CLUSTER_OBJECTS
    }

    /**
     * The manager under test, whose default namespace is {@code default}. The contract does not close it.
     *
     * @return the manager
     */
    HelmManager manager();

    /**
     * A second manager over the same releases as {@link #manager()} that keeps at most
     * {@code maxHistory} revisions per release. The contract closes it.
     *
     * @param maxHistory revisions to keep, at least 2
     * @return a new manager
     */
    HelmManager managerWithMaxHistory(int maxHistory);

    /**
     * What this environment can do beyond the core.
     *
     * @return the capabilities, empty for the core only
     */
    Set<Capability> capabilities();

    /**
     * Makes the next install or upgrade of this release fail readiness when it waits: returns values the
     * contract adds to that change (a real cluster's failure marker, e.g. a pod label of
     * {@link dev.helmsdk.testkit.WorkloadFailure}), or arranges the failure otherwise (a fake's fault) and
     * returns no values. Called only with {@link Capability#READINESS}.
     *
     * @param namespace the release's namespace
     * @param release the release's name
     * @return values to set on the change, keys in {@code set} syntax, possibly empty
     */
    default Map<String, String> arrangeReadinessFailure(String namespace, String release) {
        throw new UnsupportedOperationException("this environment does not declare READINESS");
    }

    /**
     * Rewrites the stored record of one revision as a process that died mid-change would leave it: with
     * the given pending status. Called only with {@link Capability#PENDING_RELEASES}.
     *
     * @param namespace the release's namespace
     * @param release the release's name
     * @param revision the revision to mark, the latest
     * @param status {@link ReleaseStatus#PENDING_INSTALL}, {@link ReleaseStatus#PENDING_UPGRADE} or
     *     {@link ReleaseStatus#PENDING_ROLLBACK}
     */
    default void markPending(String namespace, String release, int revision, ReleaseStatus status) {
        throw new UnsupportedOperationException("this environment does not declare PENDING_RELEASES");
    }

    /**
     * The data of a ConfigMap as it is in the cluster. Called only with {@link Capability#CLUSTER_OBJECTS}.
     *
     * @param namespace its namespace
     * @param name its name
     * @return its data, or empty when there is no such ConfigMap
     */
    default Optional<Map<String, String>> liveConfigMap(String namespace, String name) {
        throw new UnsupportedOperationException("this environment does not declare CLUSTER_OBJECTS");
    }

    /** Stops what the environment started (the manager, a cluster). */
    @Override
    void close();
}
