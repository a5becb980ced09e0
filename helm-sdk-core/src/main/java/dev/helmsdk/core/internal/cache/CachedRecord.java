package dev.helmsdk.core.internal.cache;

import java.util.function.Function;

/**
 * One release Secret as the cache keeps it: its labels, resourceVersion, the awaiting-readiness mark and
 * Helm's record still compressed (base64 undone twice: the gzip bytes Helm wrote), so a revision costs about
 * its compressed size. The summary reads need is decoded on first use and kept; the whole record never is.
 *
 * @param namespace       the Secret's namespace
 * @param secretName      the Secret's name
 * @param release         the {@code name} label, or {@code null} when this is not a release record
 * @param revision        the {@code version} label
 * @param status          the {@code status} label
 * @param resourceVersion the Secret's resourceVersion
 * @param awaitingMark    the {@code helm-sdk.dev/awaiting-readiness} annotation, or {@code null}
 * @param payload         Helm's record as Helm encoded it (gzip of JSON), or {@code null} when the Secret had none
 * @param memo            holds the decoded summary once read
 */
public record CachedRecord(String namespace, String secretName, String release, int revision, String status, String resourceVersion,
                           String awaitingMark, byte[] payload, Memo memo) {

    /** Whether this Secret is a Helm release record (type and labels). */
    public boolean isRelease() {
        return release != null;
    }

    /** The summary {@code decoder} makes of this record, decoded once. */
    @SuppressWarnings("unchecked")
    public <T> T summary(Function<CachedRecord, T> decoder) {
        Object v = memo.value;
        if (v == null) {
            v = decoder.apply(this);
            memo.value = v;
        }
        return (T) v;
    }

    /** A slot for the decoded summary (racing decoders give equal values, so no lock). */
    public static final class Memo {
        private volatile Object value;
    }
}
