package dev.helmsdk.core.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ReleaseStore#AWAITING_READINESS} records on a revision's Secret while the SDK waits
 * for it to become ready: until when, who waits, and what the request asked for should it fail
 * ({@code rollback to <n>}, {@code uninstall} or {@code none}). Stored as
 * {@code until=<instant>; by=<lock identity>; on-failure=<remediation>}.
 */
record AwaitingReadiness(int revision, Instant until, String by, String onFailure) {

    public static final String NO_REMEDIATION = "none";

    /** The remediation for a change that asked for rollbackOnFailure ({@code before}: the revision deployed before it). */
    public static String remediation(boolean rollbackOnFailure, int before) {
        return !rollbackOnFailure ? NO_REMEDIATION : before > 0 ? "rollback to " + before : "uninstall";
    }

    String encode() {
        return "until=" + until + "; by=" + by + "; on-failure=" + onFailure;
    }

    static Optional<AwaitingReadiness> decode(int revision, String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        try {
            return Optional.of(new AwaitingReadiness(revision, Instant.parse(fields.getOrDefault("until", "")),
                    fields.getOrDefault("by", "unknown"), fields.getOrDefault("on-failure", NO_REMEDIATION)));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.of(new AwaitingReadiness(revision, Instant.EPOCH, fields.getOrDefault("by", "unknown"),
                    fields.getOrDefault("on-failure", NO_REMEDIATION)));
        }
    }

    /** The status Helm's {@code --wait} keeps while waiting. */
    public String pendingStatus() {
        return revision <= 1 ? "pending-install" : "pending-upgrade";
    }

    /** The description a revision carries while so marked. */
    public String describe() {
        return "Awaiting readiness until " + until + " (helm-sdk, " + by + "); on failure: " + onFailure;
    }
}
