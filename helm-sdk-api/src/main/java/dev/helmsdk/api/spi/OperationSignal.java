package dev.helmsdk.api.spi;

import dev.helmsdk.api.ReleaseStatus;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened inside an operation, between {@link OperationInterceptor#before} and
 * {@link OperationInterceptor#after}, shown to {@link OperationInterceptor#signal}: what meters, spans
 * and audit trails need beyond an operation's start and end. Every value is safe to show: no release
 * values, no secrets, no secret references; names and kinds are the low-cardinality words of
 * {@link OperationPhase#tag()} ({@code lower_case_words}).
 */
public sealed interface OperationSignal {

    /** A phase started, on the thread that runs it; its {@link PhaseEnded} follows on the same thread. */
    record PhaseStarted(OperationPhase phase) implements OperationSignal {
        /** Requires the phase. */
        public PhaseStarted {
            Objects.requireNonNull(phase, "phase");
        }
    }

    /**
     * A phase ended.
     *
     * @param phase     which
     * @param duration  how long it ran
     * @param errorKind empty when it succeeded, else the kind of failure ({@code operation_timeout},
     *                  {@code kubernetes_api}, {@code error}, ...), as the operation meters tag it
     */
    record PhaseEnded(OperationPhase phase, Duration duration, Optional<String> errorKind) implements OperationSignal {
        /** Requires every component. */
        public PhaseEnded {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(errorKind, "errorKind");
        }

        /** Whether the phase succeeded. */
        public boolean succeeded() {
            return errorKind.isEmpty();
        }
    }

    /**
     * The release's lock was taken.
     *
     * @param waited         how long the operation waited for it (zero when it was free)
     * @param takenOver      whether it was taken over from a holder that had stopped renewing it
     * @param previousHolder the identity of that holder ({@code pid@host}); empty when nothing was taken over
     */
    record LockAcquired(Duration waited, boolean takenOver, Optional<String> previousHolder) implements OperationSignal {
        /** Requires every component. */
        public LockAcquired {
            Objects.requireNonNull(waited, "waited");
            Objects.requireNonNull(previousHolder, "previousHolder");
        }
    }

    /**
     * A readiness wait ended.
     *
     * @param reason what ended it: {@code ready}, {@code crash_loop}, {@code image_pull}, {@code failed}
     *               (another workload failure, a failed health check or Helm test) or {@code timeout}
     * @param waited how long it waited
     */
    record ReadinessEnded(String reason, Duration waited) implements OperationSignal {
        /** Requires every component. */
        public ReadinessEnded {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(waited, "waited");
        }
    }

    /**
     * A release left in a pending state by a process that died was recovered before the change went on.
     *
     * @param stuckIn the status it was left in ({@code PENDING_INSTALL}, {@code PENDING_UPGRADE}, ...)
     */
    record ReleaseRecovered(ReleaseStatus stuckIn) implements OperationSignal {
        /** Requires the status. */
        public ReleaseRecovered {
            Objects.requireNonNull(stuckIn, "stuckIn");
        }
    }

    /**
     * A chart was fetched from a repository or registry (local charts are not fetched).
     *
     * @param source  {@code repository} or {@code oci}
     * @param host    the repository's or registry's host
     * @param outcome {@code downloaded}, {@code cached} (the archive was already here), {@code fallback}
     *                (the source failed and a cached copy was used) or {@code failed}
     */
    record ChartFetched(String source, String host, String outcome) implements OperationSignal {
        /** Requires every component. */
        public ChartFetched {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * A chart repository or registry refused the credentials, or none could be had for it.
     *
     * @param host   the repository's or registry's host
     * @param reason {@code unauthorized} (401), {@code forbidden} (403), {@code token_exchange} (a registry's
     *               token endpoint refused) or {@code provider_failed} (a credential provider failed)
     */
    record AuthenticationFailed(String host, String reason) implements OperationSignal {
        /** Requires every component. */
        public AuthenticationFailed {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A secret watcher's check found that secrets a deployed release uses have changed.
     *
     * @param releases how many releases it found changed
     */
    record SecretsRotated(int releases) implements OperationSignal {
    }

    /**
     * What a change did to its release, once known: sent by install, upgrade, rollback and uninstall
     * (dry runs and templates change nothing and send none).
     *
     * @param chartName      the chart's name; empty for an uninstall
     * @param chartVersion   its version; empty for an uninstall
     * @param chartSource    where it came from: a repository or registry URL, a local path, or the
     *                       revision rolled back to ({@code revision 3}); empty for an uninstall
     * @param revisionBefore the release's latest revision before the change; 0 when it had none, or when a change
     *                       that does not wait failed before it was known
     * @param revisionAfter  the revision the change returned; 0 when it returned none (an uninstall, a failure)
     * @param valuesDigest   {@code sha256:} of the user-supplied values as given (secret references as
     *                       references, never what they resolve to); empty for an uninstall
     */
    record Changed(String chartName, String chartVersion, String chartSource, int revisionBefore, int revisionAfter,
                   String valuesDigest) implements OperationSignal {
        /** Requires every component. */
        public Changed {
            Objects.requireNonNull(chartName, "chartName");
            Objects.requireNonNull(chartVersion, "chartVersion");
            Objects.requireNonNull(chartSource, "chartSource");
            Objects.requireNonNull(valuesDigest, "valuesDigest");
        }
    }

    /**
     * A failed change that asked for {@code rollbackOnFailure} is about to be undone: sent by the change,
     * just before the operation that undoes it (whose {@link OperationEvent#parentId()} names the change) starts.
     *
     * @param action         {@code rollback} (to the revision deployed before the change) or {@code uninstall}
     *                       (a failed first install)
     * @param targetRevision the revision rolled back to; 0 for an uninstall
     */
    record RemediationDecided(String action, int targetRevision) implements OperationSignal {
        /** Requires the action. */
        public RemediationDecided {
            Objects.requireNonNull(action, "action");
        }
    }
}
