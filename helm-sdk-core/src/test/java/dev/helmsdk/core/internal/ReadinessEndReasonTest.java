package dev.helmsdk.core.internal;

import dev.helmsdk.core.internal.readiness.ReadinessFailure;
import dev.helmsdk.core.internal.readiness.ResourceKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What ended a failed readiness wait, as the readiness meter tags it: Kubernetes's reason, never its message. */
class ReadinessEndReasonTest {

    private static ReadinessFailure failure(String reason, String message) {
        return new ReadinessFailure(new ResourceKey("apps/v1", "Deployment", "apps", "web"), "web-1", "web", reason, message);
    }

    @Test
    void crashLoopsAndImagePullsAreNamedAndEverythingElseIsFailed() {
        assertEquals("crash_loop", ReadinessPhase.endReason(List.of(failure("CrashLoopBackOff", "back-off 10s"))));
        for (String pull : List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull")) {
            assertEquals("image_pull", ReadinessPhase.endReason(List.of(failure(pull, ""))), pull);
        }
        assertEquals("failed", ReadinessPhase.endReason(List.of(failure("BackoffLimitExceeded", "CrashLoopBackOff in the message"))));
        assertEquals("image_pull", ReadinessPhase.endReason(List.of(failure("Unschedulable", ""), failure("ImagePullBackOff", ""))),
                "the first failure that names one counts");
        assertEquals("failed", ReadinessPhase.endReason(List.of()));
    }
}
