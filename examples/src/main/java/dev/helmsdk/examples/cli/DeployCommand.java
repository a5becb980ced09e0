package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DeployRequest;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/** {@code install} and {@code upgrade}: a change, optionally waited for and undone when it fails. */
abstract class DeployCommand extends ChartCommand {

    @Option(names = "--wait", description = "Wait until every resource is ready (within --timeout), showing progress on stderr.")
    boolean waitReady;

    @Option(names = {"--rollback-on-failure", "--atomic"},
            description = "When the change fails (or readiness does), undo it: roll back an upgrade, uninstall an install. Implies --wait.")
    boolean rollbackOnFailure;

    @Option(names = "--create-namespace", description = "Create the release's namespace when it does not exist.")
    boolean createNamespace;

    @Option(names = "--description", paramLabel = "TEXT", description = "The description recorded with the revision.")
    String description;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text or json (the release).")
    ReleaseCommands.Output output;

    /** The change, made with {@link #deploy}. */
    abstract Release change(HelmManager helm);

    @Override
    public Integer call() {
        Release r;
        try (HelmManager helm = cluster.connect()) {
            r = change(helm);
        }
        new ReleasePrinter(cli.terminal()).status(r, output == ReleaseCommands.Output.json);
        return ExitCodes.OK;
    }

    <S extends DeployRequest<S>> Release deploy(S request) {
        S r = chart.applyTo(request, chartArg);
        if (createNamespace) {
            r = r.createNamespace();
        }
        if (description != null) {
            r = r.description(description);
        }
        if (waitReady || rollbackOnFailure) {
            r = r.waitReady().onProgress(new ProgressPrinter(cli.terminal()));
        }
        if (rollbackOnFailure) {
            r = r.rollbackOnFailure();
        }
        return r.run();
    }

    /** {@code install}. */
    @Command(name = "install", sortOptions = false, description = "Install a chart as a new release.",
            footer = {"%nExamples:",
                    "  helm-sdk-cli install web ./charts/web -n apps --create-namespace -f values.yaml --wait",
                    "  helm-sdk-cli install web oci://registry.example.com/charts/web --version 1.4.2 --set db.password=ref+vault://secret/web#/db",
                    ExitCodes.HELP})
    static final class Install extends DeployCommand {
        @Override
        Release change(HelmManager helm) {
            return deploy(helm.install(release));
        }
    }

    /** {@code upgrade}. */
    @Command(name = "upgrade", sortOptions = false, description = "Upgrade a release to a chart and values (Helm's upgrade).",
            footer = {"%nExamples:",
                    "  helm-sdk-cli upgrade web ./charts/web -n apps -f values-prod.yaml --wait --rollback-on-failure --timeout 5m",
                    "  helm-sdk-cli upgrade web podinfo --repo https://stefanprodan.github.io/podinfo --version 6.5.0 --install",
                    ExitCodes.HELP})
    static final class Upgrade extends DeployCommand {

        @Option(names = {"-i", "--install"}, description = "Install the release when it does not exist yet.")
        boolean install;

        @Option(names = "--reuse-values", description = "Start from the release's current values (Helm's --reuse-values).")
        boolean reuseValues;

        @Option(names = "--reset-values", description = "Start from the chart's defaults only (Helm's --reset-values).")
        boolean resetValues;

        @Override
        Release change(HelmManager helm) {
            var u = helm.upgrade(release);
            if (install) {
                u = u.installIfAbsent();
            }
            if (reuseValues) {
                u = u.reuseValues();
            }
            if (resetValues) {
                u = u.resetValues();
            }
            return deploy(u);
        }
    }
}
