package dev.helmsdk.api;

/** The named release (or the requested revision of it) does not exist in the namespace. */
public class ReleaseNotFoundException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} names the release, namespace and revision looked for. */
    public ReleaseNotFoundException(Operation operation, String releaseName, String message) {
        super(operation, releaseName, message, null);
    }
}
