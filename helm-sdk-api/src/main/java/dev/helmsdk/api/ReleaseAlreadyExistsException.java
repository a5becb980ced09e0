package dev.helmsdk.api;

/**
 * An install named a release that already exists in the namespace (Helm: "cannot re-use a name
 * that is still in use"). Nothing was changed. Upgrade it instead ({@code helm.upgrade(name)}, or
 * {@code installIfAbsent()} for an install-or-upgrade), or uninstall it first. A
 * {@link HelmOperationException}, so code that catches those still does; never retryable as is.
 */
public class ReleaseAlreadyExistsException extends HelmOperationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} names the release and namespace, {@code helmMessage} is Helm's text. */
    public ReleaseAlreadyExistsException(Operation operation, String releaseName, String message, String helmMessage, Throwable cause) {
        super(operation, releaseName, message, helmMessage, cause);
    }
}
