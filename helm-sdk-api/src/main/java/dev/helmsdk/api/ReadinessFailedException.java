package dev.helmsdk.api;

import java.util.List;

/**
 * The release's resources will not become ready: a container is crash-looping, an image cannot be
 * pulled, a Job failed, a pod cannot be scheduled... Raised as soon as that is certain, without
 * waiting out the readiness time limit. The revision is recorded as {@code failed}, as
 * {@code helm --wait} would.
 */
public class ReadinessFailedException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final List<String> failures;

    /** Creates the exception; each of {@code failures} names resource, pod, container, reason and message. */
    public ReadinessFailedException(Operation operation, String releaseName, List<String> failures, String message) {
        super(operation, releaseName, message, null);
        this.failures = List.copyOf(failures);
    }

    /** What failed, one line per resource. */
    public List<String> failures() {
        return failures;
    }
}
