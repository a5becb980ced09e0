package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.core.report.DryRunReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/**
 * {@code dry-run} and {@code diff}: what an install (a release that does not exist yet) or an upgrade would do,
 * changing nothing. They differ in what they show and gate on: a dry run shows changes and findings and fails on
 * findings; a diff shows the changes only.
 */
abstract class ReportCommand extends ChartCommand {

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "server",
            description = "server: ask the cluster and compare with what is live (the default); client: render only, no cluster.")
    String mode;

    @Option(names = "--detailed-exitcode",
            description = "Exit 2 when something would be added, changed or removed (as helm-diff does); needs --mode server.")
    boolean detailedExitcode;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people), json (the report's JSON Schema, dev/helmsdk/api/report/dry-run-report.schema.json) "
                    + "or junit (JUnit XML: a testcase per finding; errors fail, warnings are skipped).")
    Output output;

    @Option(names = "--create-namespace", description = "As an install with --create-namespace would (it does not create it now).")
    boolean createNamespace;

    /** The formats a report is written in. */
    enum Output { text, json, junit }

    /** Whether findings decide the exit code and are shown in text. */
    abstract boolean gatesOnFindings();

    Verdict failOn() {
        return Verdict.FAIL;
    }

    @Override
    public Integer call() {
        DryRunMode m = mode(cli, mode);
        Verdict gate = failOn();
        DryRunResult result;
        try (HelmManager helm = cluster.connect(this::configure)) {
            boolean exists = m == DryRunMode.SERVER && helm.exists(release).run().isPresent();
            if (exists) {
                result = chart.applyTo(helm.upgrade(release), chartArg).dryRun(m);
            } else {
                var install = chart.applyTo(helm.install(release), chartArg);
                result = (createNamespace ? install.createNamespace() : install).dryRun(m);
            }
        }
        return report(result, gate);
    }

    /** What this command adds to the manager's checks; nothing by default. */
    void configure(dev.helmsdk.core.HelmSdk.Builder builder) {
    }

    /** Writes the report in the format asked for; returns the exit code it calls for. */
    int report(DryRunResult result, Verdict gate) {
        return report(cli.terminal(), result, output, gatesOnFindings(), detailedExitcode, gate);
    }

    /** Writes {@code result} as {@code output}; returns the exit code it calls for ({@link ExitCodes#of}). */
    static int report(Terminal t, DryRunResult result, Output output, boolean gatesOnFindings, boolean detailedExitcode, Verdict gate) {
        switch (output) {
            case json -> t.out().println(DryRunReports.toJson(result));
            case junit -> t.out().print(JUnitReport.write(result));
            case text -> new ReportPrinter(t).print(result, gatesOnFindings);
        }
        t.out().flush();
        return ExitCodes.of(result, gatesOnFindings, detailedExitcode, gate);
    }

    /** {@code --mode}'s value. */
    static DryRunMode mode(HelmSdkCli cli, String mode) {
        return switch (mode) {
            case "server" -> DryRunMode.SERVER;
            case "client" -> DryRunMode.CLIENT;
            default -> throw new picocli.CommandLine.ParameterException(cli.spec.commandLine(),
                    "--mode must be server or client, not '" + mode + "'");
        };
    }

    /** {@code --fail-on}'s value. */
    static Verdict failOn(HelmSdkCli cli, String failOn) {
        return switch (failOn) {
            case "error" -> Verdict.FAIL;
            case "warning" -> Verdict.WARN;
            default -> throw new picocli.CommandLine.ParameterException(cli.spec.commandLine(),
                    "--fail-on must be error or warning, not '" + failOn + "'");
        };
    }

    /** {@code dry-run}. */
    @Command(name = "dry-run", sortOptions = false,
            description = {"What an install or upgrade would do, changing nothing; findings and one verdict to gate on.",
                    "%nAn upgrade when the release exists, else an install: the objects that would be added, changed or removed "
                            + "against the live cluster, and what the dry run's checks found, with one verdict (pass, warn, fail). "
                            + "The report never holds rendered manifests, notes or Secret data."},
            footer = {"%nExamples:",
                    "  helm-sdk-cli dry-run web ./charts/web -n apps -f values-prod.yaml --set image.tag=1.2.3",
                    "  helm-sdk-cli dry-run web ./charts/web -n apps --validate all --policy policies.yaml --fail-on warning",
                    "  helm-sdk-cli dry-run web podinfo --repo https://stefanprodan.github.io/podinfo --version 6.5.0 --output junit > report.xml",
                    "  helm-sdk-cli dry-run web oci://ghcr.io/stefanprodan/charts/podinfo --version ^6 --output json --detailed-exitcode",
                    ExitCodes.HELP})
    static final class DryRun extends ReportCommand {

        @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error",
                description = "error (the default): exit 3 when a finding is an error; warning: also when one is a warning.")
        String failOn;

        @Option(names = "--validate", paramLabel = "NAME", split = ",",
                description = "Run built-in validators: resource-requests-limits, image-tags, no-privilege, probes, "
                        + "chart-version-pinned, or all; repeat or separate with commas (default: none).")
        java.util.List<String> validate = java.util.List.of();

        @Option(names = "--policy", paramLabel = "FILE",
                description = "A file of CEL policy rules (as ValidatingAdmissionPolicy validations: see the README); repeat for more.")
        java.util.List<java.nio.file.Path> policies = java.util.List.of();

        @Override
        boolean gatesOnFindings() {
            return true;
        }

        @Override
        void configure(dev.helmsdk.core.HelmSdk.Builder builder) {
            builder.builtInValidators(validators(validate));
            policies.forEach(builder::policyFile);
        }

        /** The built-in validators named, by the names their findings carry. */
        private dev.helmsdk.core.BuiltInValidator[] validators(java.util.List<String> names) {
            java.util.Set<dev.helmsdk.core.BuiltInValidator> chosen = java.util.EnumSet.noneOf(dev.helmsdk.core.BuiltInValidator.class);
            for (String name : names) {
                if (name.equals("all")) {
                    chosen.addAll(java.util.EnumSet.allOf(dev.helmsdk.core.BuiltInValidator.class));
                    continue;
                }
                chosen.add(java.util.Arrays.stream(dev.helmsdk.core.BuiltInValidator.values())
                        .filter(v -> v.validatorName().equals(name)).findFirst()
                        .orElseThrow(() -> new picocli.CommandLine.ParameterException(cli.spec.commandLine(),
                                "--validate: no validator '" + name + "'; valid: all, " + java.util.Arrays.stream(
                                        dev.helmsdk.core.BuiltInValidator.values()).map(dev.helmsdk.core.BuiltInValidator::validatorName)
                                        .collect(java.util.stream.Collectors.joining(", ")))));
            }
            return chosen.toArray(dev.helmsdk.core.BuiltInValidator[]::new);
        }

        @Override
        Verdict failOn() {
            return failOn(cli, failOn);
        }
    }

    /** {@code diff}. */
    @Command(name = "diff", sortOptions = false,
            description = {"What an upgrade (or an install) would change in the cluster, object by object and field by field.",
                    "%nSecret data is never shown, only whether it changes. Findings are not shown and do not change the exit code "
                            + "(see dry-run)."},
            footer = {"%nExamples:",
                    "  helm-sdk-cli diff web ./charts/web -n apps -f values-prod.yaml",
                    "  helm-sdk-cli diff web ./charts/web -n apps --detailed-exitcode || echo \"exit $? (2: changes)\"",
                    ExitCodes.HELP})
    static final class Diff extends ReportCommand {
        @Override
        boolean gatesOnFindings() {
            return false;
        }
    }
}
