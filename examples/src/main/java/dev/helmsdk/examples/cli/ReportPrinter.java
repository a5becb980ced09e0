package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.report.Verdict;

import java.io.PrintWriter;
import java.util.Locale;

/** A dry run for people: what would change, what the checks found, the verdict. */
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
        long added = count(r, ObjectChange.Type.ADDED);
        long changed = count(r, ObjectChange.Type.CHANGED);
        long removed = count(r, ObjectChange.Type.REMOVED);
        out.printf("Changes: %d to add, %d to change, %d to remove%n", added, changed, removed);
        for (ObjectChange c : r.changes()) {
            switch (c.type()) {
                case ADDED -> out.printf("  %s %s%n", t.green("+"), c.object().id());
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

    private static long count(DryRunResult r, ObjectChange.Type type) {
        return r.changes().stream().filter(c -> c.type() == type).count();
    }

    private void findings(DryRunResult r) {
        PrintWriter out = t.out();
        if (r.findings().isEmpty()) {
            out.println("Findings: none.");
        } else {
            out.printf("Findings: %d%n", r.findings().size());
            for (Finding f : r.findings()) {
                String where = f.object().map(o -> " " + o.id()).orElse("") + f.field().map(p -> " " + p).orElse("");
                out.printf("  %s %s%s: %s%n", severity(f.severity()), f.code(), where, f.message());
                f.hint().ifPresent(h -> out.printf("      hint: %s%n", h));
            }
        }
        Verdict v = r.verdict();
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
