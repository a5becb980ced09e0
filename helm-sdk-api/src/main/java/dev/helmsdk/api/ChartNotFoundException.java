package dev.helmsdk.api;

/** The chart could not be found or loaded: no such directory, archive, repository entry or OCI tag. */
public class ChartNotFoundException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} names the chart reference that was tried. */
    public ChartNotFoundException(Operation operation, String releaseName, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
    }
}
