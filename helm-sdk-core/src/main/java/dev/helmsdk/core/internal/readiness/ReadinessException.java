package dev.helmsdk.core.internal.readiness;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when some resource of the release will certainly not become ready (a crash loop, an image that cannot be
 * pulled, a failed Job, ...), as soon as that is known rather than at the deadline. The message names each failed
 * resource, the pod and container, Kubernetes's reason and message.
 */
public class ReadinessException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int LISTED = 5;

    private final transient List<ReadinessFailure> failures;
    private final transient ReadinessSnapshot snapshot;

    public ReadinessException(List<ReadinessFailure> failures, ReadinessSnapshot snapshot) {
        super(message(failures));
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a readiness failure needs at least one failure");
        }
        this.failures = List.copyOf(failures);
        this.snapshot = snapshot;
    }

    private static String message(List<ReadinessFailure> failures) {
        String listed = failures.stream().limit(LISTED).map(ReadinessFailure::describe).collect(Collectors.joining("; "));
        return "not ready and will not become ready: " + listed
                + (failures.size() > LISTED ? "; and " + (failures.size() - LISTED) + " more" : "");
    }

    /** Every failure found, at least one; one per resource. */
    public List<ReadinessFailure> failures() {
        return failures;
    }

    /** Readiness of all resources when the failure was found. */
    public ReadinessSnapshot snapshot() {
        return snapshot;
    }
}
