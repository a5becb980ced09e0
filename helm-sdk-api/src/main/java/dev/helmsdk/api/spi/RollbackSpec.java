package dev.helmsdk.api.spi;

import dev.helmsdk.api.Timeouts;

import java.util.Objects;

/**
 * A rollback: a new revision with the chart, values and manifest of an earlier one.
 *
 * @param releaseName   the release
 * @param namespace     its namespace
 * @param revision      the revision to return to, or 0 for the one before the latest
 * @param readiness     whether to wait for the resources, with progress and health checks, as on an upgrade
 * @param force         replace resources that cannot be patched ({@code --force})
 * @param cleanupOnFail delete the resources this rollback created when it fails (Helm's {@code --cleanup-on-fail});
 *                      it does not undo the rollback itself
 * @param description   recorded with the new revision; empty for Helm's {@code Rollback to N}
 * @param timeouts      the limits for this call
 */
public record RollbackSpec(String releaseName, String namespace, int revision, Readiness readiness, boolean force,
                           boolean cleanupOnFail, String description, Timeouts timeouts) {

    /** Requires everything; a revision is 0 (previous) or positive. */
    public RollbackSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(timeouts, "timeouts");
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be 0 (previous) or positive, was " + revision);
        }
    }

    /** A rollback to the previous revision, without waiting, with Helm's description. */
    public static RollbackSpec of(String releaseName, String namespace, Timeouts timeouts) {
        return new RollbackSpec(releaseName, namespace, 0, Readiness.ofDefaults(), false, false, "", timeouts);
    }

    /** A mutable copy for building a changed spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder of {@link RollbackSpec}; not thread-safe, use it and drop it. */
    public static final class Builder {
        private final String releaseName;
        private String namespace;
        private int revision;
        private Readiness readiness;
        private boolean force;
        private boolean cleanupOnFail;
        private String description;
        private Timeouts timeouts;

        private Builder(RollbackSpec s) {
            releaseName = s.releaseName;
            namespace = s.namespace;
            revision = s.revision;
            readiness = s.readiness;
            force = s.force;
            cleanupOnFail = s.cleanupOnFail;
            description = s.description;
            timeouts = s.timeouts;
        }

        /** Sets the namespace. */
        public Builder namespace(String namespace) { this.namespace = Objects.requireNonNull(namespace, "namespace"); return this; }
        /** Sets the revision to return to (0: the one before the latest). */
        public Builder revision(int revision) { this.revision = revision; return this; }
        /** Sets waiting for readiness, with its listener and checks. */
        public Builder readiness(Readiness readiness) { this.readiness = Objects.requireNonNull(readiness, "readiness"); return this; }
        /** Sets forced replacement. */
        public Builder force(boolean v) { force = v; return this; }
        /** Sets deletion of the resources a failed rollback created. */
        public Builder cleanupOnFail(boolean v) { cleanupOnFail = v; return this; }
        /** Sets the description. */
        public Builder description(String description) { this.description = Objects.requireNonNull(description, "description"); return this; }
        /** Sets the timeouts. */
        public Builder timeouts(Timeouts timeouts) { this.timeouts = Objects.requireNonNull(timeouts, "timeouts"); return this; }

        /** Builds the spec. */
        public RollbackSpec build() {
            return new RollbackSpec(releaseName, namespace, revision, readiness, force, cleanupOnFail, description, timeouts);
        }
    }
}
