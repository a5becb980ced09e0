package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.report.Verdict;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** A dry run for people: what would change, what the checks found, the verdict; and a drift report. */
final class ReportPrinter {

    private final Terminal t;

    ReportPrinter(Terminal t) {
        this.t = t;
    }

    void print(DryRunResult r, boolean findings) {
        PrintWriter out = t.out();
        out.printf("%s of %s %s/%s: chart %s %s (%s dry run)%n", t.bold("Dry run"), r.operation().tag(), r.namespace(),
                r.releaseName(), r.chartName(), r.chartVersion(), r.mode().name().toLowerCase(Locale.ROOT));
        changes(r);
        if (findings) {
            findings(r);
        }
    }

    private void changes(DryRunResult r) {
        PrintWriter out = t.out();
        if (r.mode() == dev.helmsdk.api.DryRunMode.CLIENT) {
            out.printf("Renders %d objects (a client dry run does not compare with the cluster):%n", r.rendered().resources().size());
            for (RenderedResource res : r.rendered().resources()) {
                out.printf("  %s%n", res.id());
            }
            return;
        }
        if (!r.hasChanges()) {
            out.println("No changes.");
            return;
        }
        out.printf("Changes: %d to add, %d to change, %d to remove%n", count(r.changes(), ObjectChange.Type.ADDED),
                count(r.changes(), ObjectChange.Type.CHANGED), count(r.changes(), ObjectChange.Type.REMOVED));
        objects(r.changes(), "");
    }

    /** A drift report: what differs from the deployed revision (live, then as deployed), what was re-applied, findings. */
    void print(DriftReport r) {
        PrintWriter out = t.out();
        out.printf("%s of %s/%s: revision %d compared with the live cluster%n", t.bold("Drift"), r.namespace(), r.releaseName(), r.revision());
        if (!r.hasDrift()) {
            out.println("No drift.");
        } else {
            out.printf("Drift: %d objects missing (deleted from the cluster), %d edited%n", count(r.drifted(), ObjectChange.Type.ADDED),
                    count(r.drifted(), ObjectChange.Type.CHANGED));
            objects(r.drifted(), " (missing)");
            out.println("      (fields: live -> as deployed)");
        }
        if (!r.corrected().isEmpty()) {
            out.printf("Corrected: %d objects re-applied as deployed (no new revision)%n", r.corrected().size());
        }
        if (!r.findings().isEmpty()) {
            findings(r.findings(), r.verdict());
        }
    }

    private void objects(List<ObjectChange> changes, String addedNote) {
        PrintWriter out = t.out();
        for (ObjectChange c : changes) {
            switch (c.type()) {
                case ADDED -> out.printf("  %s %s%s%n", t.green("+"), c.object().id(), addedNote);
                case REMOVED -> out.printf("  %s %s%n", t.red("-"), c.object().id());
                case CHANGED -> {
                    out.printf("  %s %s%n", t.yellow("~"), c.object().id());
                    for (FieldChange f : c.fields()) {
                        out.printf("      %s: %s -> %s%n", f.path(), f.before().map(t::red).orElse("(none)"),
                                f.after().map(t::green).orElse("(none)"));
                    }
                }
            }
        }
    }

    private static long count(List<ObjectChange> changes, ObjectChange.Type type) {
        return changes.stream().filter(c -> c.type() == type).count();
    }

    private void findings(DryRunResult r) {
        findings(r.findings(), r.verdict());
    }

    private void findings(List<Finding> findings, Verdict v) {
        PrintWriter out = t.out();
        if (findings.isEmpty()) {
            out.println("Findings: none.");
        } else {
            out.printf("Findings: %d%n", findings.size());
            for (Finding f : findings) {
                String where = f.object().map(o -> " " + o.id()).orElse("") + f.field().map(p -> " " + p).orElse("");
                out.printf("  %s %s%s: %s%n", severity(f.severity()), f.code(), where, f.message());
                f.hint().ifPresent(h -> out.printf("      hint: %s%n", h));
            }
        }
        String word = v.name();
        out.printf("Verdict: %s%n", v == Verdict.FAIL ? t.red(word) : v == Verdict.WARN ? t.yellow(word) : t.green(word));
    }

    private String severity(Severity s) {
        String word = String.format("%-7s", s.name());
        return switch (s) {
            case ERROR -> t.red(word);
            case WARNING -> t.yellow(word);
            case INFO -> word;
        };
    }
}
