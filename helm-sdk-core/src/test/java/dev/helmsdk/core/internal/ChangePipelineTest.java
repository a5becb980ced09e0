package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.RollbackSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pipeline itself: order, stages that do not apply, what a stage sees of the ones before it. */
class ChangePipelineTest {

    private final List<String> trace = new ArrayList<>();

    /** A stage that notes when it starts and ends, and may add values for the ones after it. */
    private ChangeStage stage(String name, Predicate<ChangeContext> applies, Map<String, Object> adds) {
        return new ChangeStage() {
            @Override
            public boolean appliesTo(ChangeContext c) {
                return applies.test(c);
            }

            @Override
            public ChangeContext run(ChangeContext c, Next next) {
                trace.add(name + " in");
                try {
                    return next.run(adds == null ? c : c.withValues(adds));
                } finally {
                    trace.add(name + " out");
                }
            }
        };
    }

    private static ChangeContext install() {
        return ChangeContext.install(DeploySpec.of("web", "apps", Timeouts.ofDefaults()));
    }

    @Test
    void stagesRunInOrderEachAroundTheOnesAfterIt() {
        ChangePipeline p = new ChangePipeline(List.of(stage("a", c -> true, null), stage("b", c -> true, null),
                stage("c", c -> true, null)));
        p.run(install());
        assertEquals(List.of("a in", "b in", "c in", "c out", "b out", "a out"), trace);
    }

    @Test
    void aStageThatDoesNotApplyIsSkippedAndTheRestStillRun() {
        ChangePipeline p = new ChangePipeline(List.of(stage("a", c -> true, null),
                stage("rollback only", c -> c.kind() == Operation.ROLLBACK, null), stage("c", c -> true, null)));
        p.run(install());
        assertEquals(List.of("a in", "c in", "c out", "a out"), trace);
        trace.clear();
        p.run(ChangeContext.rollback(RollbackSpec.of("web", "apps", Timeouts.ofDefaults())));
        assertEquals(List.of("a in", "rollback only in", "c in", "c out", "rollback only out", "a out"), trace);
    }

    @Test
    void whetherAStageAppliesIsJudgedOnWhatTheStagesBeforeItFound() {
        ChangePipeline p = new ChangePipeline(List.of(stage("needs values", c -> c.values() != null, null),
                stage("merge", c -> true, Map.of("k", "v")), stage("needs values too", c -> c.values() != null, null)));
        ChangeContext end = p.run(install());
        assertEquals(List.of("merge in", "needs values too in", "needs values too out", "merge out"), trace);
        assertEquals(Map.of("k", "v"), end.values(), "the pipeline returns the context the last stage ended with");
    }

    @Test
    void aFailureLeavesThroughEveryStageBeforeIt() {
        ChangeStage failing = new ChangeStage() {
            @Override
            public boolean appliesTo(ChangeContext c) {
                return true;
            }

            @Override
            public ChangeContext run(ChangeContext c, Next next) {
                throw new HelmOperationException(Operation.INSTALL, "web", "boom", "boom", null);
            }
        };
        ChangePipeline p = new ChangePipeline(List.of(stage("a", c -> true, null), failing, stage("never", c -> true, null)));
        assertThrows(HelmOperationException.class, () -> p.run(install()));
        assertEquals(List.of("a in", "a out"), trace);
    }

    @Test
    void aContextNeverShowsItsValues() {
        String shown = install().withValues(Map.of("password", "hunter2")).toString();
        assertEquals(-1, shown.indexOf("hunter2"), shown);
    }
}
