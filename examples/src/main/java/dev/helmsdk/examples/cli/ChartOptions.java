package dev.helmsdk.examples.cli;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartRequest;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart and the values of an install, upgrade or dry run. */
final class ChartOptions {

    /** The help of the commands' CHART parameter (a positional parameter cannot be in a mixin of its own). */
    static final String CHART_HELP = "A chart directory or .tgz archive, an oci:// reference, or a chart's name in the repository given with --repo.";

    @Option(names = "--repo", paramLabel = "URL", description = "The chart repository CHART is a name in (https://charts.example.com).")
    String repo;

    @Option(names = "--version", paramLabel = "VERSION",
            description = "The chart version or constraint (6.5.0, ^6) for --repo and oci:// charts (default: the latest).")
    String version;

    @Option(names = {"-f", "--values"}, paramLabel = "FILE",
            description = "A YAML values file; repeat for more, later files win. Strings such as ref+vault://... are secret references.")
    List<Path> valuesFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Set a value after the files (a.b=1,list[0].name=x); true/false, integers and null are typed as Helm types them.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--set-string", paramLabel = "PATH=VALUE", description = "Set a value as a string, whatever it looks like.")
    List<String> setStrings = new ArrayList<>();

    /** The chart reference {@code chart} and these options name. */
    ChartRef chartRef(String chart) {
        if (chart.startsWith("oci://")) {
            return ChartRef.oci(chart, version);
        }
        if (repo != null) {
            return ChartRef.repository(repo, chart, version);
        }
        return ChartRef.local(Path.of(chart));
    }

    /** {@code request} with the chart and the values of these options. */
    <S extends ChartRequest<S>> S applyTo(S request, String chart) {
        S r = request.chart(chartRef(chart));
        for (Path file : valuesFiles) {
            r = r.values(file);
        }
        for (SetValues.Assignment a : SetValues.parse(sets, true)) {
            r = r.set(a.path(), a.value());
        }
        for (SetValues.Assignment a : SetValues.parse(setStrings, false)) {
            r = r.set(a.path(), a.value());
        }
        return r;
    }
}
