package dev.helmsdk.api.spi;

import java.util.Locale;

/**
 * The phases an operation goes through, as {@link OperationSignal.PhaseStarted} and
 * {@link OperationSignal.PhaseEnded} report them and a timeout names the one it cut short. Phases nest:
 * {@link #CREDENTIALS} runs inside {@link #SOURCE} when a chart repository needs them, and every phase
 * of an automatic rollback inside {@link #REMEDIATE}. Stable names: dashboards and traces match them.
 */
public enum OperationPhase {
    /** Finding and fetching the chart (a repository index, an OCI manifest, an archive). */
    SOURCE,
    /** Asking credential providers or a kubeconfig's credential plugin for credentials. */
    CREDENTIALS,
    /** Resolving the secret references in the values. */
    SECRETS,
    /** Waiting for and taking the release's lock. */
    LOCK,
    /** Rendering the chart's templates without changing anything (template, dry run, needsUpgrade). */
    RENDER,
    /** Helm applying the change to the cluster (install, upgrade, rollback, uninstall). */
    APPLY,
    /** Waiting for the released resources to be ready, with health checks and Helm tests. */
    WAIT,
    /** Undoing a failed change on the caller's behalf ({@code rollbackOnFailure()}). */
    REMEDIATE;

    /** The phase's name as a tag value: {@code source}, {@code credentials}, ..., {@code remediate}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
