package dev.helmsdk.core;

/**
 * Checks operators commonly gate on, which a dry run runs when enabled with
 * {@link HelmSdk.Builder#builtInValidators(BuiltInValidator...)} (none is on by default). Each reports findings with
 * check {@code validator:<name>} on every container of the pod templates the change would apply (Pods,
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs).
 */
public enum BuiltInValidator {

    /** {@code resource-requests-limits}: every container (init containers too) sets CPU and memory requests and limits
     * (error {@code resources.missing} naming which). */
    RESOURCES("resource-requests-limits"),

    /** {@code image-tags}: no image without a tag or digest ({@code image.untagged}) or tagged {@code latest}
     * ({@code image.latest}), errors: such a release is not reproducible. */
    IMAGE_TAGS("image-tags"),

    /** {@code no-privilege}: no {@code privileged} container ({@code container.privileged}), none with
     * {@code allowPrivilegeEscalation: true} ({@code container.privilege_escalation}), no pod with {@code hostNetwork},
     * {@code hostPID} or {@code hostIPC} ({@code pod.host_namespace}); errors. */
    PRIVILEGE("no-privilege"),

    /** {@code probes}: every container of a long-running workload (not Jobs or CronJobs) has a liveness and a
     * readiness probe (warnings {@code probe.liveness_missing}, {@code probe.readiness_missing}). */
    PROBES("probes"),

    /** {@code chart-version-pinned}: a repository or OCI chart is asked for by one exact version, not the latest
     * ({@code chart.version_unpinned}) or a range such as {@code ^1.2} ({@code chart.version_range}); errors.
     * Local charts are what they are and pass. */
    CHART_VERSION_PINNED("chart-version-pinned"),

    /** {@code dependency-versions-pinned}: every dependency the chart's {@code Chart.yaml} takes from a repository or
     * registry is asked for by one exact version, not a range such as {@code ^1.2} or {@code 1.x}, nor none
     * ({@code dependency.version_floating}, an error per dependency): a range resolves to another version at the
     * next {@code dependency update}. {@code file://} and {@code charts/} dependencies are what is on disk and pass.
     * {@link ChartLifecycle.Builder#requirePinnedDependencies(boolean)} refuses the same before an update. */
    DEPENDENCY_VERSIONS_PINNED("dependency-versions-pinned");

    private final String validatorName;

    BuiltInValidator(String validatorName) {
        this.validatorName = validatorName;
    }

    /** The name in its findings' check, {@code validator:<name>}. */
    public String validatorName() {
        return validatorName;
    }
}
