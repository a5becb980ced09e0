package dev.helmsdk.api;

import java.util.Objects;

/**
 * A chart's provenance could not be verified, as {@code helm verify} (and {@code helm pull --verify}) would refuse it:
 * there is no {@code .prov} file, it is not a clear-signed Helm provenance document, it was signed by a key that is not
 * in the keyring (or one that is revoked or expired), its signature does not match its text, or the archive's sha256
 * is not the one it signed. Names the chart and what failed; when it is thrown by a pull, nothing was written to the
 * destination. Not {@link #retryable()}: the same archive and keyring give the same answer.
 */
public class ChartVerificationException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Reason {
        /** No {@code .prov} file beside the archive, in the repository or as the registry's provenance layer. */
        NO_PROVENANCE,
        /** The {@code .prov} is not a clear-signed message holding {@code Chart.yaml}, {@code ...} and a {@code files:} block. */
        MALFORMED_PROVENANCE,
        /** The keyring cannot be read, or holds no public key. */
        BAD_KEYRING,
        /** The signature was made by a key that is not in the keyring. */
        UNKNOWN_KEY,
        /** The signing key is in the keyring but revoked or expired, or a subkey its primary key does not bind. */
        KEY_NOT_VALID,
        /** The signature does not match the signed text: the {@code .prov} was edited after signing. */
        BAD_SIGNATURE,
        /** The signed {@code files:} block has no sha256 for the archive, or another one: the archive was changed. */
        DIGEST_MISMATCH
    }

    private final String chart;
    private final Reason reason;

    /**
     * @param operation the operation (verify, pull, ...)
     * @param chart     the chart as the caller named it (an archive path or a reference)
     * @param reason    what failed
     * @param message   what happened and what to do about it
     * @param cause     the underlying cause, or {@code null}
     */
    public ChartVerificationException(Operation operation, String chart, Reason reason, String message, Throwable cause) {
        super(operation, null, message, cause);
        this.chart = Objects.requireNonNull(chart, "chart");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The chart as the caller named it: an archive path or a reference. */
    public String chart() {
        return chart;
    }

    /** What failed. */
    public Reason reason() {
        return reason;
    }
}
