package dev.helmsdk.api;

/**
 * A {@link HealthCheck} found the deployed release unhealthy; the revision is recorded as
 * {@code failed}. Not retryable as is.
 */
public class HealthCheckFailedException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final String check;

    /** Creates the exception for the check named {@code check}. */
    public HealthCheckFailedException(Operation operation, String releaseName, String check, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
        this.check = check;
    }

    /** The name of the check that failed. */
    public String check() {
        return check;
    }
}
