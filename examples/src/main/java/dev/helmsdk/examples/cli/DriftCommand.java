package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DriftRequest;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.core.report.DryRunReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code drift}: how a release's live objects differ from its deployed revision, optionally corrected. */
@Command(name = "drift", sortOptions = false,
        description = {"Compare a release's deployed revision with the live cluster (drift), and optionally correct it.",
                "%nEach object of the last deployed revision is sent to the API server as a server-side apply dry run and the "
                        + "answer compared with the live object: objects deleted by hand are 'missing', edited ones show each field "
                        + "(live -> as deployed). Fields added by hand are not drift. Secret data is never shown, only whether it "
                        + "differs. An object annotated " + DriftRequest.OPT_OUT_ANNOTATION + ": disabled is skipped. --correct re-applies "
                        + "what drifted as deployed (server-side apply, field manager helm) under the release's lock, writing no new "
                        + "revision."},
        footer = {"%nExamples:",
                "  helm-sdk-cli drift web -n apps",
                "  helm-sdk-cli drift web -n apps --ignore /spec/replicas --ignore ConfigMap/web-cache:/data --detailed-exitcode",
                "  helm-sdk-cli drift web -n apps --correct --output json > drift.json",
                ExitCodes.HELP})
final class DriftCommand extends ReleaseCommands.NamedRelease {

    @Option(names = "--ignore", paramLabel = "RULE",
            description = "A field not compared nor corrected, repeatable: a JSON pointer for every object (/spec/replicas), "
                    + "or KIND/NAME:POINTER for some (Deployment/web:/spec/replicas; Deployment/*:/spec/replicas for every Deployment).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--correct", description = "Re-apply the drifted objects as deployed (no new revision); objects deleted by hand are created again.")
    boolean correct;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when something drifted (with --correct: drifted and was re-applied).")
    boolean detailedExitcode;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people), json (dev/helmsdk/api/report/drift-report.schema.json) or junit (JUnit XML: a failing "
                    + "testcase per drifted object not corrected, and one per finding).")
    ReportCommand.Output output;

    @Override
    public Integer call() {
        // A malformed rule is a usage error before anything connects.
        List<java.util.function.UnaryOperator<DriftRequest>> rules = ignore.stream().map(this::rule).toList();
        DriftReport report;
        try (HelmManager helm = cluster.connect()) {
            DriftRequest r = helm.drift(release);
            for (var rule : rules) {
                r = rule.apply(r);
            }
            report = correct ? r.correct() : r.run();
        }
        return report(report);
    }

    /** Writes the report in the format asked for; returns the exit code it calls for. */
    int report(DriftReport report) {
        Terminal t = cli.terminal();
        switch (output) {
            case json -> t.out().println(DryRunReports.toJson(report));
            case junit -> t.out().print(JUnitReport.write(report));
            case text -> new ReportPrinter(t).print(report);
        }
        t.out().flush();
        return ExitCodes.of(report, detailedExitcode);
    }

    /** {@code /pointer}, or {@code KIND/NAME:/pointer}. */
    private java.util.function.UnaryOperator<DriftRequest> rule(String rule) {
        if (rule.startsWith("/")) {
            return r -> r.ignoring(rule);
        }
        int colon = rule.indexOf(":/");
        int slash = rule.indexOf('/');
        if (colon < 0 || slash < 0 || slash >= colon) {
            throw new picocli.CommandLine.ParameterException(cli.spec.commandLine(), "--ignore '" + rule
                    + "' is neither a JSON pointer (/spec/replicas) nor KIND/NAME:POINTER (Deployment/web:/spec/replicas)");
        }
        return r -> r.ignoring(rule.substring(0, slash), rule.substring(slash + 1, colon), rule.substring(colon + 1));
    }
}
