package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationPhase;
import dev.helmsdk.api.spi.OperationSignal.PhaseEnded;
import dev.helmsdk.api.spi.OperationSignal.PhaseStarted;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The spans an operation's events make, fed to the interceptor directly: names, keys, parents, errors, no state left. */
class ObservationInterceptorTest {

    private static final String SECRET_IN_MESSAGE = "password=hunter2-canary";

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final ObservationInterceptor traces = new ObservationInterceptor(registry,
            f -> f instanceof OperationTimeoutException ? "operation_timeout" : "error");

    private static OperationEvent event(String id, Operation op, String parent) {
        return new OperationEvent(id, op, "shop", "apps", Instant.now(), Optional.ofNullable(parent));
    }

    private void phase(OperationEvent e, OperationPhase p, String failure) {
        traces.signal(e, new PhaseStarted(p));
        traces.signal(e, new PhaseEnded(p, Duration.ofMillis(1), Optional.ofNullable(failure)));
    }

    /** Each observation as "contextual name < parent's contextual name [outcome]", in the order they started. */
    private List<String> tree() {
        List<String> out = new ArrayList<>();
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context c : contexts) {
                String parent = c.getParentObservation() == null ? "-" : c.getParentObservation().getContextView().getContextualName();
                out.add(c.getContextualName() + " < " + parent + " [" + c.getLowCardinalityKeyValue("outcome").getValue() + "]");
            }
        });
        return out;
    }

    @Test
    void anInstallIsOneSpanWithItsPhasesUnderIt() {
        OperationEvent install = event("1", Operation.INSTALL, null);
        traces.before(install);
        phase(install, OperationPhase.LOCK, null);
        phase(install, OperationPhase.APPLY, null);
        phase(install, OperationPhase.WAIT, null);
        traces.after(install, new OperationOutcome(Duration.ofMillis(5), Optional.empty()));

        assertEquals(List.of("helm install < - [success]", "helm install lock < helm install [success]",
                "helm install apply < helm install [success]", "helm install wait < helm install [success]"), tree());
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(ObservationInterceptor.OPERATION, 1)
                .hasNumberOfObservationsWithNameEqualTo(ObservationInterceptor.PHASE, 3)
                .hasObservationWithNameEqualTo(ObservationInterceptor.OPERATION).that()
                .hasLowCardinalityKeyValue("operation", "install").hasLowCardinalityKeyValue("remediation", "false")
                .hasHighCardinalityKeyValue("release", "shop").hasHighCardinalityKeyValue("namespace", "apps")
                .doesNotHaveError().hasBeenStopped();
        assertEquals(0, traces.open());
    }

    @Test
    void anAutomaticRollbackIsAnOperationUnderTheRemediatePhaseOfTheChangeItUndoes() {
        OperationEvent upgrade = event("u", Operation.UPGRADE, null);
        traces.before(upgrade);
        phase(upgrade, OperationPhase.LOCK, null);
        phase(upgrade, OperationPhase.WAIT, "readiness_failed");
        traces.signal(upgrade, new PhaseStarted(OperationPhase.REMEDIATE));
        OperationEvent rollback = event("r", Operation.ROLLBACK, "u");
        traces.before(rollback);
        phase(rollback, OperationPhase.APPLY, null);
        traces.after(rollback, new OperationOutcome(Duration.ofMillis(2), Optional.empty()));
        traces.signal(upgrade, new PhaseEnded(OperationPhase.REMEDIATE, Duration.ofMillis(3), Optional.empty()));
        traces.after(upgrade, new OperationOutcome(Duration.ofMillis(9), Optional.of(new HelmSdkException(Operation.UPGRADE, "shop",
                "failed with " + SECRET_IN_MESSAGE, null))));

        assertEquals(List.of("helm upgrade < - [error]", "helm upgrade lock < helm upgrade [success]",
                "helm upgrade wait < helm upgrade [readiness_failed]", "helm upgrade remediate < helm upgrade [success]",
                "helm rollback < helm upgrade remediate [success]", "helm rollback apply < helm rollback [success]"), tree());
        TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm rollback")
                .hasLowCardinalityKeyValue("remediation", "true"));
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context c : contexts) {
                if (c.getError() != null) {
                    assertFalse(String.valueOf(c.getError().getMessage()).contains("hunter2"), "no message reaches a span");
                    assertNull(c.getError().getCause());
                }
            }
        });
        assertEquals(0, traces.open());
    }

    @Test
    void aTimeoutEndsThePhaseItCutShortAsAnError() {
        OperationEvent upgrade = event("t", Operation.UPGRADE, null);
        traces.before(upgrade);
        phase(upgrade, OperationPhase.APPLY, null);
        traces.signal(upgrade, new PhaseStarted(OperationPhase.WAIT));
        traces.after(upgrade, new OperationOutcome(Duration.ofSeconds(2), Optional.of(new OperationTimeoutException(Operation.UPGRADE,
                "shop", Duration.ofSeconds(2), "timed out " + SECRET_IN_MESSAGE, null))));
        // The abandoned worker ends its phase later: nothing is open any more, nothing changes.
        traces.signal(upgrade, new PhaseEnded(OperationPhase.WAIT, Duration.ofSeconds(3), Optional.of("operation_timeout")));

        assertEquals(List.of("helm upgrade < - [operation_timeout]", "helm upgrade apply < helm upgrade [success]",
                "helm upgrade wait < helm upgrade [operation_timeout]"), tree());
        TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm upgrade wait")
                .hasError());
        TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm upgrade")
                .assertThatError().hasMessage("operation_timeout (dev.helmsdk.api.OperationTimeoutException)"));
        assertEquals(0, traces.open());
    }

    @Test
    void aVetoedOperationLeavesNothingOpen() {
        OperationEvent install = event("v", Operation.INSTALL, null);
        traces.before(install);
        traces.after(install, new OperationOutcome(Duration.ZERO, Optional.of(new HelmSdkException(Operation.INSTALL, "shop", "no", null))));
        assertEquals(0, traces.open());
        TestObservationRegistryAssert.assertThat(registry).hasSingleObservationThat().hasError().hasBeenStopped();
    }
}
