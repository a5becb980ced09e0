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

    /** How a release is shown. */
    enum Output { text, json }

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

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json.")
        Output output;

        @Override
        public Integer call() {
            try (HelmManager helm = cluster.connect()) {
                run(helm, new ReleasePrinter(cli.terminal()), output == Output.json);
            }
            cli.terminal().out().flush();
            return ExitCodes.OK;
        }

        abstract void run(HelmManager helm, ReleasePrinter printer, boolean json);
    }

    /** {@code rollback}. */
    @Command(name = "rollback", sortOptions = false, description = "Roll a release back to an earlier revision (default: the previous one).",
            footer = {"%nExamples:", "  helm-sdk-cli rollback web -n apps", "  helm-sdk-cli rollback web 3 -n apps --wait", ExitCodes.HELP})
    static final class Rollback extends OnRelease {

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
            RollbackRequest r = helm.rollback(release);
            r = revision == null ? r.toPrevious() : r.toRevision(revision);
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
