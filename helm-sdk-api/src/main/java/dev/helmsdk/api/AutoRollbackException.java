package dev.helmsdk.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * An install or upgrade with {@code rollbackOnFailure()} failed, and the release was rolled back
 * (an upgrade: to the last revision that had been deployed) or uninstalled (a first install).
 * {@link #getCause()} is the original failure; the rest says how the clean-up went.
 */
public class AutoRollbackException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final int restoredRevision;
    private final HelmSdkException rollbackFailure;

    /**
     * @param cause            the original failure
     * @param restoredRevision the revision rolled back to, 0 when the release was uninstalled, -1 when the rollback failed
     * @param rollbackFailure  why the rollback failed, or {@code null}
     */
    public AutoRollbackException(HelmSdkException cause, int restoredRevision, HelmSdkException rollbackFailure, String message) {
        super(cause.operation(), cause.releaseName().orElse(null), message, cause);
        this.restoredRevision = restoredRevision;
        this.rollbackFailure = rollbackFailure;
    }

    /** The original failure. */
    public HelmSdkException failure() {
        return (HelmSdkException) getCause();
    }

    /** Whether the release is back where it was before the operation. */
    public boolean rolledBack() {
        return rollbackFailure == null;
    }

    /** The revision whose content is deployed again; empty when the release was uninstalled or the rollback failed. */
    public OptionalInt restoredRevision() {
        return restoredRevision > 0 ? OptionalInt.of(restoredRevision) : OptionalInt.empty();
    }

    /** Why the rollback itself failed, if it did. */
    public Optional<HelmSdkException> rollbackFailure() {
        return Optional.ofNullable(rollbackFailure);
    }
}
