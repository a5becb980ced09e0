package dev.helmsdk.core.internal;

import java.util.List;

/**
 * The one ordered list of stages every change (install, upgrade, rollback, uninstall, dry run,
 * template) goes through; each stage says for which changes it applies. Adding a capability is
 * adding a stage here. Timing, logging, metrics and interceptors are the {@link OperationRunner}'s,
 * around the whole pipeline.
 */
final class ChangePipeline {

    private final List<ChangeStage> stages;

    ChangePipeline(List<ChangeStage> stages) {
        this.stages = List.copyOf(stages);
    }

    /** Runs the stages that apply to {@code context}, in order, and returns the context it ends with. */
    ChangeContext run(ChangeContext context) {
        return from(0, context);
    }

    private ChangeContext from(int index, ChangeContext context) {
        for (int i = index; i < stages.size(); i++) {
            ChangeStage stage = stages.get(i);
            if (stage.appliesTo(context)) {
                int next = i + 1;
                return stage.run(context, changed -> from(next, changed));
            }
        }
        return context;
    }

    /** The stages' names in order, for logs and tests. */
    List<String> names() {
        return stages.stream().map(s -> s.getClass().getSimpleName()).toList();
    }
}
