package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the checks of one dry run found, collected from any thread; findings come out worst first. */
public final class ReportBuilder {

    private final List<Finding> findings = new ArrayList<>();
    private final List<ObjectChange> changes = new ArrayList<>();

    public synchronized void add(Finding finding) {
        findings.add(finding);
    }

    public synchronized void add(ObjectChange change) {
        changes.add(change);
    }

    /** The findings, errors first, then warnings, then the rest, each group in the order found. */
    public synchronized List<Finding> findings() {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity, Comparator.comparingInt(Severity::ordinal)));
        return List.copyOf(sorted);
    }

    /** The object changes, by object id. */
    public synchronized List<ObjectChange> changes() {
        List<ObjectChange> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing(c -> c.object().id()));
        return List.copyOf(sorted);
    }
}
