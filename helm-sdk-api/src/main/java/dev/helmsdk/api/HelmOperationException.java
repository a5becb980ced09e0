package dev.helmsdk.api;

/**
 * Helm itself reported a failure (a template error, a resource conflict, a failed hook, ...).
 * {@link #helmMessage()} holds Helm's own words. A release name already in use is the subtype
 * {@link ReleaseAlreadyExistsException}.
 */
public class HelmOperationException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final String helmMessage;

    /** Creates the exception; {@code helmMessage} is Helm's error text, already free of secret values. */
    public HelmOperationException(Operation operation, String releaseName, String message, String helmMessage, Throwable cause) {
        super(operation, releaseName, message, cause);
        this.helmMessage = helmMessage;
    }

    /** Helm's own error text. */
    public String helmMessage() {
        return helmMessage;
    }
}
