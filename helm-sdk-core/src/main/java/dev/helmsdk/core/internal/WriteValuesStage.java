package dev.helmsdk.core.internal;

import java.nio.file.Path;

/** Writes the values Helm is to use into a private file (owner-only), deleted when the change is done. */
final class WriteValuesStage implements ChangeStage {

    private final Path workDir;

    WriteValuesStage(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.values() != null;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return ValuesFiles.with(workDir, c.values(), file -> next.run(c.withValuesFile(file)));
    }
}
