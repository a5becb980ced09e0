package dev.helmsdk.api.audit;

import dev.helmsdk.api.Operation;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit trail. Its JSON form (what {@code JsonLinesAuditSink} and {@code Slf4jAuditSink}
 * write) is described by the JSON Schema {@value #SCHEMA_RESOURCE} in this jar; within one
 * {@link #schemaVersion()} fields are only ever added, never renamed, retyped or removed.
 *
 * <p>A change (install, upgrade, rollback, uninstall) gives two events with its {@link #operationId()}:
 * its {@link Phase#INTENT} before it starts (who, what, which release) and its {@link Phase#OUTCOME} when it
 * ended (outcome, duration, chart, revisions, values digest). An intent without an outcome is a change that
 * was interrupted (the JVM was killed): look at the release. A step the SDK takes on its own to undo a
 * failed change is of {@link Type#REMEDIATION_DECISION}, names the change in {@link #parentId()}, and says
 * what it does in {@link #remediation()}. A lock takeover and a secret access are one event each
 * ({@link Phase#OUTCOME}: they already happened). Nothing here is a value or what a secret reference
 * resolved to; a secret reference is recorded as its digest only.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION} for events of this version of the schema
 * @param eventId       unique for each event (a UUID)
 * @param time          when the event was written
 * @param phase         before the change ({@code intent}) or after it ({@code outcome})
 * @param type          what the event is about
 * @param operationId   the operation it belongs to (the same for a change's intent and outcome)
 * @param parentId      the operation this one runs on behalf of (the change an automatic rollback undoes)
 * @param actor         who asked ({@code HelmSdk.builder().actor}, {@code HelmManager.withActor}); empty when nobody was named
 * @param operation     the operation's kind
 * @param release       the release; empty when the operation concerns none
 * @param namespace     the release's namespace
 * @param startedAt     when the operation started
 * @param outcome       outcomes only: {@code success}, or the kind of failure as the meters tag it
 *                      ({@code auto_rollback}, {@code operation_timeout}, {@code secret_resolution}, ...)
 * @param errorKind     failed outcomes only: what went wrong in the same words; for {@code auto_rollback} the
 *                      failure that started the rollback ({@code readiness_failed}, ...)
 * @param duration      outcomes of operations only: how long the operation took, to the millisecond
 * @param chart         change outcomes only: the chart deployed (empty for an uninstall)
 * @param revisions     change outcomes only: the release's revision before and after
 * @param valuesDigest  change outcomes only: {@code sha256:} of the values as given, secret references as references
 *                      (equal values, equal digests; a rollback's are those of the revision it went back to); empty for
 *                      an uninstall
 * @param remediation   remediation decisions only: what the SDK does to undo the failed change
 * @param lockTakeover  lock takeovers only: whose lock was taken over
 * @param secret        secret accesses only: which scheme, resolver and outcome
 */
public record AuditEvent(int schemaVersion, String eventId, Instant time, Phase phase, Type type, String operationId,
                         Optional<String> parentId, String actor, Operation operation, String release, String namespace,
                         Instant startedAt, Optional<String> outcome, Optional<String> errorKind, Optional<Duration> duration,
                         Optional<Chart> chart, Optional<Revisions> revisions, Optional<String> valuesDigest,
                         Optional<Remediation> remediation, Optional<LockTakeover> lockTakeover, Optional<SecretRead> secret) {

    /** The version of the schema the events of this SDK follow. */
    public static final int SCHEMA_VERSION = 1;

    /** Where the JSON Schema (draft 2020-12) of the events' JSON form is, on the class path. */
    public static final String SCHEMA_RESOURCE = "/dev/helmsdk/api/audit/audit-event.schema.json";

    /** Requires every component. */
    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(errorKind, "errorKind");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(revisions, "revisions");
        Objects.requireNonNull(valuesDigest, "valuesDigest");
        Objects.requireNonNull(remediation, "remediation");
        Objects.requireNonNull(lockTakeover, "lockTakeover");
        Objects.requireNonNull(secret, "secret");
    }

    /** Whether this outcome says the operation succeeded ({@code false} for an intent). */
    public boolean succeeded() {
        return outcome.filter("success"::equals).isPresent();
    }

    /** Before or after. */
    public enum Phase {
        /** Written before the change starts. */
        INTENT,
        /** Written when it ended, or when the thing recorded happened. */
        OUTCOME;

        /** The JSON word: {@code intent}, {@code outcome}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What an event is about. */
    public enum Type {
        /** An install, upgrade, rollback or uninstall the caller asked for. */
        CHANGE,
        /** A rollback or uninstall the SDK runs on its own to undo a failed change ({@code rollbackOnFailure}). */
        REMEDIATION_DECISION,
        /** A release's lock taken over from a holder that stopped renewing it. */
        LOCK_TAKEOVER,
        /** A secret reference resolved, served from the cache, or failed. */
        SECRET_ACCESS;

        /** The JSON word: {@code change}, {@code remediation_decision}, ... */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The chart a change deployed.
     *
     * @param name    its name
     * @param version its version
     * @param source  where it came from: a repository or registry URL, a local path, or {@code revision N} for a rollback
     */
    public record Chart(String name, String version, String source) {
        /** Requires every component. */
        public Chart {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The release's revisions around a change.
     *
     * @param before the latest revision before it (0: none)
     * @param after  the revision it made (0: none, as for an uninstall or a failure)
     */
    public record Revisions(int before, int after) {
    }

    /**
     * What an automatic rollback does.
     *
     * @param action         {@code rollback} or {@code uninstall} (a failed first install)
     * @param targetRevision the revision rolled back to; 0 for an uninstall
     */
    public record Remediation(String action, int targetRevision) {
        /** Requires the action. */
        public Remediation {
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * A lock taken over.
     *
     * @param previousHolder the identity of the holder that stopped renewing it ({@code pid@host})
     * @param waited         how long the operation waited before taking it
     */
    public record LockTakeover(String previousHolder, Duration waited) {
        /** Requires every component. */
        public LockTakeover {
            Objects.requireNonNull(previousHolder, "previousHolder");
            Objects.requireNonNull(waited, "waited");
        }
    }

    /**
     * A secret access, without the secret.
     *
     * @param scheme          the reference's scheme ({@code vault}, {@code awssm}, ...)
     * @param resolver        the resolver's class name
     * @param outcome         {@code resolved}, {@code cached} or {@code failed}
     * @param failure         why it failed ({@code not_found}, {@code denied}, ...), when it did
     * @param referenceDigest {@code sha256:} of the reference as written: says which reference was read (compare with
     *                        the digest of one you know) without the trail holding the reference's text
     */
    public record SecretRead(String scheme, String resolver, String outcome, Optional<String> failure, String referenceDigest) {
        /** Requires every component. */
        public SecretRead {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(resolver, "resolver");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(referenceDigest, "referenceDigest");
        }
    }
}
