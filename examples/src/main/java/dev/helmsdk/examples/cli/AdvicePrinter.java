package dev.helmsdk.examples.cli;

import dev.helmsdk.api.Release;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.UpgradeRun;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** An advisor report for people: a table, what the newest allowed versions change, and why some have no answer. */
final class AdvicePrinter {

    private static final List<String> HEADER = List.of("NAMESPACE", "RELEASE", "CHART", "CURRENT", "STATUS", "UPGRADE TO", "NEWEST", "BEHIND");

    private final Terminal t;

    AdvicePrinter(Terminal t) {
        this.t = t;
    }

    void print(AdvisorReport report) {
        PrintWriter out = t.out();
        if (report.releases().isEmpty()) {
            out.println("No releases.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ReleaseAdvice a : report.releases()) {
            rows.add(List.of(a.namespace(), a.release(), a.chart(), a.currentVersion(), status(a.status()), a.newestAllowed(), a.newestOverall(),
                    a.versionsBehind() == 0 ? "" : a.versionsBehind() + " (" + a.distance().name().toLowerCase(Locale.ROOT) + ")"));
        }
        int[] widths = new int[HEADER.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = i == r.size() - 1 ? r.get(i) : String.format("%-" + widths[i] + "s  ", r.get(i));
                line.append(i == 4 && r != rows.get(0) ? paint(r.get(i), cell) : cell);
            }
            out.println(line.toString().stripTrailing());
        }
        for (ReleaseAdvice a : report.upgradable()) {
            ReleaseAdvice.ChartNotes n = a.notes();
            if (n.described() && (!n.appVersion().isEmpty() || !n.changes().isEmpty())) {
                out.println();
                out.println(a.namespace() + "/" + a.release() + ": " + a.chart() + " " + n.version()
                        + (n.appVersion().isEmpty() ? "" : " (app version " + n.appVersion() + ")"));
                n.changes().forEach(c -> out.println("  - " + (c.kind().isEmpty() ? "" : c.kind() + ": ") + c.description()));
            }
        }
        List<ReleaseAdvice> unanswered = report.releases().stream().filter(a -> !a.problem().isEmpty()).toList();
        if (!unanswered.isEmpty()) {
            out.println();
            unanswered.forEach(a -> out.println(a.namespace() + "/" + a.release() + ": " + status(a.status()) + ": " + a.problem()));
        }
        out.println();
        out.println(report.upgradable().size() + " of " + report.releases().size() + " releases can be upgraded within policy "
                + report.policy().name().toLowerCase(Locale.ROOT) + "; " + report.withStatus(ReleaseAdvice.Status.HELD_BACK).size()
                + " held back, " + report.withStatus(ReleaseAdvice.Status.UP_TO_DATE).size() + " up to date.");
    }

    /** One line on stderr per source that could not be read, naming it and its releases; whether there was one. */
    boolean sourceFailures(AdvisorReport report) {
        Map<String, List<ReleaseAdvice>> bySource = new LinkedHashMap<>();
        report.withStatus(ReleaseAdvice.Status.SOURCE_FAILED).forEach(a -> bySource.computeIfAbsent(a.source(), s -> new ArrayList<>()).add(a));
        bySource.forEach((source, advice) -> t.err().println("Error: source " + source + " could not be read for "
                + advice.stream().map(a -> a.namespace() + "/" + a.release()).collect(Collectors.joining(", ")) + ": " + advice.get(0).problem()));
        return !bySource.isEmpty();
    }

    /** What {@code --upgrade} did; a failure on stderr, with the releases not tried. */
    void upgraded(UpgradeRun run, PrintWriter out) {
        for (Release r : run.upgraded()) {
            out.println("Upgraded " + r.namespace() + "/" + r.name() + " to " + r.chartName() + " " + r.chartVersion() + " (revision " + r.revision() + ")");
        }
        for (ReleaseAdvice a : run.skipped()) {
            out.println("Not upgraded " + a.namespace() + "/" + a.release() + ": already as " + a.chart() + " " + a.newestAllowed() + " would make it");
        }
        run.failed().ifPresent(f -> t.err().println("Error: upgrading " + f.advice().namespace() + "/" + f.advice().release() + " to "
                + f.advice().chart() + " " + f.advice().newestAllowed() + " failed: " + f.error().getMessage()
                + (run.notTried().isEmpty() ? "" : "; not tried: " + run.notTried().stream().map(a -> a.namespace() + "/" + a.release())
                .collect(Collectors.joining(", ")))));
    }

    private static String status(ReleaseAdvice.Status s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private String paint(String status, String cell) {
        return switch (status) {
            case "upgrade available" -> t.yellow(cell);
            case "up to date" -> t.green(cell);
            case "source failed" -> t.red(cell);
            default -> cell;
        };
    }
}
