package dev.helmsdk.api;

import java.util.Objects;

/**
 * No credential for the Kubernetes API could be had, so no request was sent: the kubeconfig's
 * {@code exec} credential plugin (EKS' {@code aws eks get-token}, GKE's {@code gke-gcloud-auth-plugin},
 * ...) failed, gave no usable credential, or ran past its time and was stopped. The message names
 * the plugin's {@link #command()} and why, never its arguments, environment or output (they may
 * hold credentials); what it wrote to stderr is logged at DEBUG. A plugin stopped because the
 * operation's own time limit passed is reported as an {@link OperationTimeoutException} naming the
 * plugin instead. Retryable only when the plugin {@link Reason#TIMED_OUT timed out}: a plugin that
 * exits with an error or prints no credential does so again until its configuration or login is fixed.
 */
public class ClusterCredentialException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Why there is no credential. */
    public enum Reason {
        /** The plugin could not be started, exited with an error, or was interrupted. */
        FAILED,
        /** It exited without printing a usable {@code ExecCredential} (a token, or a client certificate and key). */
        NO_CREDENTIAL,
        /** It ran past its time limit and was stopped, with its children. */
        TIMED_OUT
    }

    private final String command;
    private final Reason reason;

    /**
     * @param operation   the operation that needed the credential
     * @param releaseName the release concerned, or {@code null}
     * @param command     the plugin's executable, without arguments
     * @param reason      why there is no credential
     * @param message     what went wrong, naming the command; never a secret
     * @param cause       the underlying cause, or {@code null}
     */
    public ClusterCredentialException(Operation operation, String releaseName, String command, Reason reason, String message,
                                      Throwable cause) {
        super(operation, releaseName, message, cause);
        this.command = Objects.requireNonNull(command, "command");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The credential plugin's executable (as the kubeconfig names it, resolved against its directory), without arguments. */
    public String command() {
        return command;
    }

    /** Why there is no credential. */
    public Reason reason() {
        return reason;
    }
}
