package dev.helmsdk.examples.cli;

import dev.helmsdk.api.ChartDependencyException;
import dev.helmsdk.api.ChartRef;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Chart references as the chart commands take them: {@code oci://host/path/chart}, or a classic repository as
 * {@code https://repo#chart} (the fragment names the chart in the repository's index; Helm's own form, a name with
 * {@code --repo URL}, is taken by {@code pull} too).
 */
final class ChartRefs {

    private ChartRefs() {
    }

    /**
     * {@code ref} (oci:// or http(s)://repo#chart) at {@code version} (a constraint, or null for the latest).
     *
     * @param what how the message names it ({@code CHART}, {@code --chart shop})
     * @param hint what the message adds when {@code ref} is no URL at all, or ""
     */
    static ChartRef parse(CommandLine cl, String what, String ref, String version, String hint) {
        if (ref.startsWith("oci://")) {
            return ChartRef.oci(ref, version);
        }
        int hash = ref.indexOf('#');
        if ((ref.startsWith("https://") || ref.startsWith("http://")) && hash > 0 && hash < ref.length() - 1) {
            return ChartRef.repository(ref.substring(0, hash), ref.substring(hash + 1), version);
        }
        throw new ParameterException(cl, what + " '" + shown(ref) + "' is not oci://host/path/chart nor https://repository#chart"
                + (ref.contains("://") ? "" : hint));
    }

    /** A chart named {@code name} in the repository at {@code repository}. */
    static ChartRef repository(CommandLine cl, String repository, String name, String version) {
        if (name.contains("://")) {
            throw new ParameterException(cl, "with --repo, CHART is a chart's name in it, not '" + name + "'");
        }
        return ChartRef.repository(repository, name, version);
    }

    /** {@code url} as messages show it: without user info, which may hold a password. */
    static String shown(String url) {
        return ChartDependencyException.withoutUserInfo(url);
    }

    /** The URL whose host {@code ref} is fetched from. */
    static String url(ChartRef ref) {
        return ref instanceof ChartRef.Oci o ? o.reference() : ((ChartRef.Repository) ref).repositoryUrl().toString();
    }
}
