package dev.helmsdk.api;

/** The operations the SDK performs; carried by every {@link HelmSdkException} and used as a metric tag. */
public enum Operation {
    INSTALL,
    UPGRADE,
    UNINSTALL,
    ROLLBACK,
    TEST,
    HEALTH_CHECK,
    DRY_RUN,
    STATUS,
    HISTORY,
    LIST,
    VALUES,
    MANIFEST,
    /** Whether a release exists, and its latest revision. */
    EXISTS,
    /** Whether an upgrade to a chart and values would change anything. */
    NEEDS_UPGRADE,
    TEMPLATE,
    LINT,
    /** Resolving a release's recorded secret references again, to see whether they changed (a secret watcher's pass). */
    SECRET_CHECK,
    /** Comparing a release's deployed revision with the live cluster (drift detection): reads only. */
    DRIFT,
    /** Re-applying the deployed revision's drifted objects, under the release's lock, writing no revision: a change. */
    DRIFT_CORRECTION,
    /** Building a manager or a request: bad configuration detected before any operation runs. */
    CONFIGURE,
    /** Packaging a chart directory into an archive (signed or not). */
    PACKAGE,
    /** Pushing a packaged chart to an OCI registry. */
    PUSH,
    /** Pulling a chart from a repository or registry into a directory. */
    PULL,
    /** Resolving a chart's dependencies and writing {@code Chart.lock} and {@code charts/}. */
    DEPENDENCY_UPDATE,
    /** Rebuilding a chart's {@code charts/} from its {@code Chart.lock}. */
    DEPENDENCY_BUILD,
    /** Verifying a chart archive's provenance ({@code .prov}) against a keyring, as {@code helm verify}. */
    VERIFY;

    /** Lower-case name as used in log fields and metric tags, e.g. {@code dry_run}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
