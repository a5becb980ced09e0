package dev.helmsdk.api;

/**
 * The release's latest revision is {@code pending-install}, {@code pending-upgrade} or
 * {@code pending-rollback}, and no operation holds the release: a process died in the middle of a
 * change. Helm refuses further changes until it is resolved. Enable recovery
 * ({@code HelmSdk.builder().recoverStuckReleases(Duration.ofMinutes(5))}: revisions pending at least
 * that long) to have the pending revision marked {@code failed} and the operation carried out, or
 * repair it by hand.
 */
public class ReleaseStuckException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final ReleaseStatus status;
    private final int revision;

    /** Creates the exception for the stuck {@code revision} in {@code status}. */
    public ReleaseStuckException(Operation operation, String releaseName, int revision, ReleaseStatus status, String message) {
        super(operation, releaseName, message, null);
        this.status = status;
        this.revision = revision;
    }

    /** The pending status the release is stuck in. */
    public ReleaseStatus status() {
        return status;
    }

    /** The stuck revision. */
    public int revision() {
        return revision;
    }
}
