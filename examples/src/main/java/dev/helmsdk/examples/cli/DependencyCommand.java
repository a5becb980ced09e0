package dev.helmsdk.examples.cli;

import dev.helmsdk.api.Operation;
import dev.helmsdk.core.ChartLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dependency update|build}: a chart's dependencies into {@code charts/}, locked in {@code Chart.lock}, as Helm's. */
@Command(name = "dependency", aliases = {"dep", "dependencies"}, sortOptions = false,
        description = {"Manage a chart's dependencies: update (resolve Chart.yaml, write Chart.lock) or build (from Chart.lock).",
                "%nDependencies come from https://, oci:// or file:// repositories given by URL (names such as @stable live in "
                        + "Helm's repositories.yaml, which is never read), with the providers' credentials for each. A failure names "
                        + "the dependency and its repository, and leaves Chart.lock and charts/ as they were."},
        subcommands = {DependencyCommand.Update.class, DependencyCommand.Build.class},
        footer = {"%nExamples:", "  helm-sdk-cli dependency update ./charts/shop --require-pinned", "  helm-sdk-cli dependency build ./charts/shop",
                ExitCodes.HELP})
final class DependencyCommand implements Runnable {

    @ParentCommand
    HelmSdkCli cli;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public void run() {
        // No subcommand: say which there are.
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: update or build");
    }

    /** What both subcommands take. */
    abstract static class OnChart implements Callable<Integer> {

        @ParentCommand
        DependencyCommand parent;

        @Mixin
        HelpOption help;

        @Parameters(index = "0", paramLabel = "CHART_DIR", description = "The chart's directory (with Chart.yaml).")
        Path chart;

        @Option(names = "--require-pinned",
                description = "Refuse remote dependencies not asked for by one exact version (^1.2, >=1, 1.x or none float); nothing is written.")
        boolean requirePinned;

        @Mixin
        SourceOptions sources;

        @Override
        public Integer call() {
            Operation op = operation();
            LifecycleCommands.directory(op, chart);
            ChartLifecycle.Dependencies done;
            try (ChartLifecycle charts = LifecycleCommands.lifecycle(sources.chartSources(op, SourceOptions.dependencyRepositories(chart)), requirePinned)) {
                done = run(charts);
            }
            PrintWriter out = parent.cli.terminal().out();
            out.println("Saving " + done.dependencies().size() + " charts");
            done.dependencies().forEach(d -> out.println("  " + d.name() + " " + d.version() + (d.repository().isEmpty() ? "" : " from " + d.repository())));
            if (!done.dependencies().isEmpty()) {
                out.println(done.lockWritten() ? "Chart.lock written" : "Chart.lock unchanged");
            }
            out.flush();
            return ExitCodes.OK;
        }

        abstract Operation operation();

        abstract ChartLifecycle.Dependencies run(ChartLifecycle charts);
    }

    /** {@code dependency update}. */
    @Command(name = "update", aliases = "up", sortOptions = false,
            description = "Resolve each dependency's constraint in its repository, download it into charts/ and write Chart.lock (Helm's digest).",
            footer = {"%nExamples:", "  helm-sdk-cli dependency update ./charts/shop", "  helm-sdk-cli dep up ./charts/shop --require-pinned", ExitCodes.HELP})
    static final class Update extends OnChart {
        @Override
        Operation operation() {
            return Operation.DEPENDENCY_UPDATE;
        }

        @Override
        ChartLifecycle.Dependencies run(ChartLifecycle charts) {
            return charts.dependencyUpdate(chart);
        }
    }

    /** {@code dependency build}. */
    @Command(name = "build", sortOptions = false,
            description = "Download exactly the versions Chart.lock records into charts/ (an update when there is no lock); a lock out "
                    + "of sync with Chart.yaml is refused, as Helm does.",
            footer = {"%nExamples:", "  helm-sdk-cli dependency build ./charts/shop", ExitCodes.HELP})
    static final class Build extends OnChart {
        @Override
        Operation operation() {
            return Operation.DEPENDENCY_BUILD;
        }

        @Override
        ChartLifecycle.Dependencies run(ChartLifecycle charts) {
            return charts.dependencyBuild(chart);
        }
    }
}
