package dev.helmsdk.examples.cli;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.UpgradeAdvisor;
import dev.helmsdk.core.advisor.UpgradePolicy;
import dev.helmsdk.core.advisor.UpgradeRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code advise}: newer chart versions for deployed releases ({@link UpgradeAdvisor}), optionally upgraded to. */
@Command(name = "advise", sortOptions = false,
        description = {"Find newer chart versions for deployed releases in their repositories and registries (the upgrade advisor).",
                "%nHelm's release records keep a chart's name, not where it came from, so each chart's source is given with "
                        + "--chart NAME=REF: oci://host/path/chart, or https://repository#chart (#chart: the chart's name in the "
                        + "index, default NAME), each optionally followed by @CONSTRAINT (after a path or #chart), a Helm constraint every advised version "
                        + "must match too (redis=oci://registry-1.docker.io/bitnamicharts/redis@<21). One request per source per "
                        + "run, with the providers' credentials. Releases of charts without a source are listed as no_source."},
        footer = {"%nExamples:",
                "  helm-sdk-cli advise -A --chart podinfo=https://stefanprodan.github.io/podinfo",
                "  helm-sdk-cli advise -n apps -l team=payments --chart 'redis=oci://registry-1.docker.io/bitnamicharts/redis@<21' "
                        + "--policy patch --detailed-exitcode",
                "  helm-sdk-cli advise -A --chart podinfo=https://stefanprodan.github.io/podinfo#podinfo -o json > advice.json",
                "  helm-sdk-cli advise -n apps --chart shop=oci://registry.example.com/charts/shop --upgrade",
                ExitCodes.HELP})
final class AdviseCommand implements Callable<Integer> {

    @ParentCommand
    HelmSdkCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = {"-A", "--all-namespaces"}, description = "Advise the releases of every namespace (default: --namespace's).")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "Only releases whose records carry these labels (team=payments,tier=web; equality terms, as install --labels writes them).")
    String selector;

    @Option(names = "--chart", paramLabel = "NAME=REF", required = true,
            description = "Where releases of chart NAME find newer versions: oci://host/path/chart or https://repository[#chart], "
                    + "optionally @CONSTRAINT; repeat for more charts.")
    List<String> charts = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "minor",
            description = "How far an advised upgrade may go: patch, minor (the default) or major.")
    String policy;

    @Option(names = "--pre-releases", description = "Count pre-release versions (2.0.0-rc.1) as newest and as upgrades.")
    boolean preReleases;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table for people) or json (AdvisorReport's schema, version " + AdvisorReport.SCHEMA_VERSION + ").")
    Output output;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when a release can be upgraded within the policy (with --upgrade: and was).")
    boolean detailedExitcode;

    @Option(names = "--upgrade",
            description = "Then upgrade each release that can be, one at a time, to the version advised, with the values it has "
                    + "(reuse-values); halts on the first failure (exit 3).")
    boolean upgrade;

    @Mixin
    SourceOptions sources;

    @Mixin
    ClusterOptions cluster;

    /** The formats the report is written in. */
    enum Output { text, json }

    @Override
    public Integer call() {
        if (allNamespaces && cluster.namespace().isPresent()) {
            throw usage("give --namespace or --all-namespaces, not both");
        }
        UpgradePolicy upgradePolicy;
        try {
            upgradePolicy = UpgradePolicy.of(policy);
        } catch (InvalidRequestException e) {
            throw usage("--policy: " + e.getMessage());
        }
        Map<String, ChartRef> mapped = new LinkedHashMap<>();
        for (String spec : charts) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw usage("--chart '" + spec + "' is not NAME=REF (podinfo=https://stefanprodan.github.io/podinfo, "
                        + "redis=oci://registry-1.docker.io/bitnamicharts/redis@<21)");
            }
            String name = spec.substring(0, eq).strip();
            mapped.put(name, source(name, spec.substring(eq + 1).strip()));
        }
        // The sources' options are checked before the cluster is reached.
        ChartSources chartSources = sources.chartSources(Operation.CONFIGURE, mapped.values().stream().map(ChartRefs::url).toList());
        try (HelmManager helm = cluster.connect(b -> b.chartSources(chartSources));
             UpgradeAdvisor advisor = advisor(helm, mapped, upgradePolicy)) {
            AdvisorReport report = advisor.check();
            write(report);
            return finish(report, upgrade ? advisor.upgrade(report) : null);
        }
    }

    private UpgradeAdvisor advisor(HelmManager helm, Map<String, ChartRef> mapped, UpgradePolicy upgradePolicy) {
        UpgradeAdvisor.Builder b = UpgradeAdvisor.builder(helm).policy(upgradePolicy).preReleases(preReleases);
        if (allNamespaces) {
            b.allNamespaces();
        }
        if (selector != null) {
            b.selector(selector);
        }
        mapped.forEach(b::chart);
        return b.build();
    }

    /**
     * {@code REF[@CONSTRAINT]} of chart {@code name}. The constraint's '@' comes after the host (a '/' or '#' is between them:
     * an '@' within the authority is user info) and no '/' follows it.
     */
    ChartRef source(String name, String ref) {
        String constraint = null;
        int scheme = ref.indexOf("://");
        int path = scheme < 0 ? -1 : firstOf(ref, "/#", scheme + 3);
        int at = ref.lastIndexOf('@');
        if (path > 0 && at > path && ref.indexOf('/', at) < 0) {
            constraint = ref.substring(at + 1).strip();
            ref = ref.substring(0, at);
            if (constraint.isEmpty() || constraint.startsWith("sha256:")) {
                throw usage("--chart " + name + ": '@" + constraint + "' is not a version constraint (a digest pins one version, so nothing "
                        + "newer could be advised); give one such as @<2 or @~1.4, or none");
            }
        }
        if ((ref.startsWith("https://") || ref.startsWith("http://")) && ref.indexOf('#') < 0) {
            ref = ref + "#" + name;
        }
        return ChartRefs.parse(spec.commandLine(), "--chart " + name + ":", ref, constraint, "");
    }

    private static int firstOf(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the report as asked for. */
    void write(AdvisorReport report) {
        Terminal t = cli.terminal();
        if (output == Output.json) {
            t.out().println(report.toJson());
        } else {
            new AdvicePrinter(t).print(report);
        }
        t.out().flush();
    }

    /**
     * Says what the upgrades did (on stderr with json, which is the report alone) and what failed; returns the exit code:
     * 3 when an upgrade failed, 1 when a source could not be read, 2 with {@code --detailed-exitcode} when a release
     * could be upgraded, else 0.
     *
     * @param run what {@code --upgrade} did, or null without it
     */
    int finish(AdvisorReport report, UpgradeRun run) {
        Terminal t = cli.terminal();
        AdvicePrinter printer = new AdvicePrinter(t);
        if (run != null) {
            printer.upgraded(run, output == Output.json ? t.err() : t.out());
        }
        boolean sourceFailed = printer.sourceFailures(report);
        t.out().flush();
        t.err().flush();
        if (run != null && !run.completed()) {
            return ExitCodes.FINDINGS;
        }
        if (sourceFailed) {
            return ExitCodes.ERROR;
        }
        return detailedExitcode && !report.upgradable().isEmpty() ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
