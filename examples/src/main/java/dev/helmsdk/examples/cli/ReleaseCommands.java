package dev.helmsdk.examples.cli;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RollbackRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** The commands about one existing release: {@code rollback}, {@code status}, {@code history}, {@code uninstall}. */
final class ReleaseCommands {

    /** How a release is shown (junit: a rollback's dry run only). */
    enum Output { text, json, junit }

    private ReleaseCommands() {
    }

    /** What every command about one existing release takes: the release and how to reach the cluster. */
    abstract static class NamedRelease implements Callable<Integer> {

        @ParentCommand
        HelmSdkCli cli;

        @Parameters(index = "0", paramLabel = "RELEASE", description = "The release's name.")
        String release;

        @Mixin
        ClusterOptions cluster;
    }

    /** What every release command printed as a release takes. */
    abstract static class OnRelease extends NamedRelease {

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (rollback --dry-run: also junit, and json is the dry-run report's schema).")
        Output output;

        @Override
        public Integer call() {
            if (output == Output.junit) {
                throw new picocli.CommandLine.ParameterException(cli.spec.commandLine(), "--output junit is for rollback --dry-run only");
            }
            try (HelmManager helm = cluster.connect()) {
                run(helm, new ReleasePrinter(cli.terminal()), output == Output.json);
            }
            cli.terminal().out().flush();
            return ExitCodes.OK;
        }

        abstract void run(HelmManager helm, ReleasePrinter printer, boolean json);
    }

    /** {@code rollback}. */
    @Command(name = "rollback", sortOptions = false, description = {"Roll a release back to an earlier revision (default: the previous one).",
            "%nWith --dry-run, change nothing: the dry-run report (changes against the live cluster, findings, one verdict) "
                    + "of returning to that revision's stored manifest, with dry-run's output formats and exit codes."},
            footer = {"%nExamples:", "  helm-sdk-cli rollback web -n apps", "  helm-sdk-cli rollback web 3 -n apps --wait",
                    "  helm-sdk-cli rollback web 3 -n apps --dry-run --detailed-exitcode --output junit > rollback.xml", ExitCodes.HELP})
    static final class Rollback extends OnRelease {

        @Option(names = "--dry-run", description = "Report what the rollback would do, changing nothing (as dry-run does for an upgrade).")
        boolean dryRun;

        @Option(names = "--mode", paramLabel = "MODE", defaultValue = "server",
                description = "With --dry-run: server (ask the cluster, the default) or client (no cluster checks).")
        String mode;

        @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
                description = "With --dry-run: error (exit 3 when a finding is an error) or warning (also when one is a warning).")
        String failOn;

        @Option(names = "--detailed-exitcode", description = "With --dry-run: exit 2 when something would be added, changed or removed.")
        boolean detailedExitcode;

        @Override
        public Integer call() {
            if (!dryRun) {
                if (detailedExitcode) {
                    throw new picocli.CommandLine.ParameterException(cli.spec.commandLine(), "--detailed-exitcode needs --dry-run");
                }
                return super.call();
            }
            var gate = ReportCommand.failOn(cli, failOn);
            var m = ReportCommand.mode(cli, mode);
            dev.helmsdk.api.DryRunResult result;
            try (HelmManager helm = cluster.connect()) {
                result = request(helm).dryRun(m);
            }
            ReportCommand.Output format = switch (output) {
                case text -> ReportCommand.Output.text;
                case json -> ReportCommand.Output.json;
                case junit -> ReportCommand.Output.junit;
            };
            return ReportCommand.report(cli.terminal(), result, format, true, detailedExitcode, gate);
        }

        private RollbackRequest request(HelmManager helm) {
            RollbackRequest r = helm.rollback(release);
            return revision == null ? r.toPrevious() : r.toRevision(revision);
        }

        @Parameters(index = "1", arity = "0..1", paramLabel = "REVISION", description = "The revision to return to (default: the previous one).")
        Integer revision;

        @Option(names = "--wait", description = "Wait until every resource is ready (within --timeout), showing progress on stderr.")
        boolean waitReady;

        @Option(names = "--force", description = "Replace resources that cannot be patched (Helm's --force).")
        boolean force;

        @Option(names = "--cleanup-on-fail", description = "Delete the resources this rollback created when it fails.")
        boolean cleanupOnFail;

        @Override
        void run(HelmManager helm, ReleasePrinter printer, boolean json) {
            RollbackRequest r = request(helm);
            if (waitReady) {
                r = r.waitReady().onProgress(new ProgressPrinter(cli.terminal()));
            }
            if (force) {
                r = r.force();
            }
            if (cleanupOnFail) {
                r = r.cleanupOnFail();
            }
            printer.status(r.run(), json);
        }
    }

    /** {@code status}. */
    @Command(name = "status", sortOptions = false, description = "Show a release's latest revision (or --revision N).",
            footer = {"%nExamples:", "  helm-sdk-cli status web -n apps", "  helm-sdk-cli status web -n apps --revision 2 -o json", ExitCodes.HELP})
    static final class Status extends OnRelease {

        @Option(names = "--revision", paramLabel = "N", description = "The revision to show.")
        Integer revision;

        @Override
        void run(HelmManager helm, ReleasePrinter printer, boolean json) {
            var s = helm.status(release);
            printer.status((revision == null ? s : s.atRevision(revision)).run(), json);
        }
    }

    /** {@code history}. */
    @Command(name = "history", sortOptions = false, description = "List a release's revisions, oldest first.",
            footer = {"%nExamples:", "  helm-sdk-cli history web -n apps", "  helm-sdk-cli history web -n apps -o json", ExitCodes.HELP})
    static final class History extends OnRelease {
        @Override
        void run(HelmManager helm, ReleasePrinter printer, boolean json) {
            List<Release> revisions = helm.history(release).run().stream()
                    .sorted(java.util.Comparator.comparingInt(Release::revision)).toList();
            printer.history(revisions, json);
        }
    }

    /** {@code uninstall}. */
    @Command(name = "uninstall", sortOptions = false, description = "Uninstall a release: delete its resources and (unless --keep-history) its records.",
            footer = {"%nExamples:", "  helm-sdk-cli uninstall web -n apps", "  helm-sdk-cli uninstall web -n apps --keep-history", ExitCodes.HELP})
    static final class Uninstall extends OnRelease {

        @Option(names = "--keep-history", description = "Keep the release's records (status shows it uninstalled; rollback can restore it).")
        boolean keepHistory;

        @Override
        void run(HelmManager helm, ReleasePrinter printer, boolean json) {
            var u = helm.uninstall(release);
            Release last = (keepHistory ? u.keepHistory() : u).run();
            if (json) {
                printer.status(last, true);   // its last revision as it stood before removal
            } else {
                printer.uninstalled(last, keepHistory);
            }
        }
    }
}
