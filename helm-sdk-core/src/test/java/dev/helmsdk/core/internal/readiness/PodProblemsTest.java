package dev.helmsdk.core.internal.readiness;

import dev.helmsdk.core.internal.readiness.PodProblems.Certainty;
import dev.helmsdk.core.internal.readiness.PodProblems.Problem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodProblemsTest {

    static Pod waiting(String name, String container, String reason, String message) {
        return new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
                .withMessage("containers with unready status: [" + container + "]").endCondition()
                .addNewContainerStatus().withName(container).withReady(false).withRestartCount(3)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").withMessage("password=hunter2")
                .endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
    }

    @Test
    void crashLoopIsCertainAndTidied() {
        Pod pod = waiting("web-7c9-abcde", "web", "CrashLoopBackOff",
                "back-off 10s restarting failed container=web pod=web-7c9-abcde_default(0b6c7d1e-uid)");
        List<Problem> problems = PodProblems.find(pod, true);
        assertEquals(1, problems.size());
        Problem p = problems.get(0);
        assertEquals(Certainty.CERTAIN, p.certainty());
        assertEquals("web", p.container());
        assertEquals("CrashLoopBackOff", p.reason());
        assertEquals("back-off 10s restarting failed container (last exit code 1, Error)", p.message());
        assertTrue(!p.message().contains("hunter2"), "the termination message (program output) is never repeated");
        assertEquals(List.of(), PodProblems.find(pod, false), "not for a Job's pods");
    }

    @Test
    void imageAndConfigProblems() {
        assertEquals(Certainty.CERTAIN, PodProblems.find(waiting("p", "c", "ImagePullBackOff", "Back-off pulling image \"x\""), true)
                .get(0).certainty());
        assertEquals(Certainty.CERTAIN, PodProblems.find(waiting("p", "c", "InvalidImageName", "bad"), true).get(0).certainty());
        assertEquals(Certainty.CERTAIN, PodProblems.find(waiting("p", "c", "ImagePullBackOff", "x"), false).get(0).certainty(),
                "an image that cannot be pulled fails a Job too");
        assertEquals(Certainty.AFTER_IMAGE_PULL_GRACE, PodProblems.find(waiting("p", "c", "ErrImagePull", "x"), true).get(0).certainty());
        assertEquals(Certainty.AFTER_CONFIG_ERROR_GRACE, PodProblems.find(waiting("p", "c", "CreateContainerConfigError",
                "secret \"db\" not found"), true).get(0).certainty());
        assertEquals(List.of(), PodProblems.find(waiting("p", "c", "ContainerCreating", ""), true));
        assertEquals(List.of(), PodProblems.find(waiting("p", "c", "PodInitializing", ""), true));
    }

    @Test
    void initContainersCount() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata().withNewStatus().withPhase("Pending")
                .addNewInitContainerStatus().withName("init-db").withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 20s restarting failed container=init-db pod=p_ns(u)").endWaiting().endState().endInitContainerStatus()
                .addNewContainerStatus().withName("app").withNewState().withNewWaiting().withReason("PodInitializing").endWaiting()
                .endState().endContainerStatus().endStatus().build();
        Problem p = PodProblems.find(pod, true).get(0);
        assertEquals("init-db", p.container());
        assertEquals("back-off 20s restarting failed container", p.message());
        assertEquals("pod p container init-db: CrashLoopBackOff", PodProblems.whyNotReady(pod));
    }

    @Test
    void unschedulable() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withUid("u").endMetadata().withNewStatus().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 Insufficient cpu.").endCondition().endStatus().build();
        Problem p = PodProblems.find(pod, true).get(0);
        assertEquals(Certainty.AFTER_UNSCHEDULABLE_GRACE, p.certainty());
        assertEquals("", p.container());
        assertEquals("Unschedulable", p.reason());
        assertEquals("pod p: not scheduled: Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.", PodProblems.whyNotReady(pod));
    }

    @Test
    void whyNotReady() {
        Pod notReady = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
                .withMessage("containers with unready status: [web]").endCondition()
                .addNewContainerStatus().withName("web").withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build();
        assertEquals("pod p: not ready: ContainersNotReady: containers with unready status: [web]", PodProblems.whyNotReady(notReady));
        assertEquals(List.of(), PodProblems.find(notReady, true));
        Pod ready = new PodBuilder(notReady).editStatus().editFirstCondition().withStatus("True").endCondition().endStatus().build();
        assertEquals("", PodProblems.whyNotReady(ready));
        assertTrue(PodProblems.isReady(ready));
        assertEquals("pod q: no status yet", PodProblems.whyNotReady(new PodBuilder().withNewMetadata().withName("q").endMetadata().build()));
        Pod deleted = new PodBuilder(waiting("d", "c", "CrashLoopBackOff", "x")).editMetadata()
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build();
        assertEquals(List.of(), PodProblems.find(deleted, true), "a terminating pod is on its way out");
    }
}
