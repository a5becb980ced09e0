package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;

import java.time.Instant;
import java.util.Map;

/**
 * One stored revision, as Helm's release record holds it: the chart it was made from, the user
 * values ({@code config}), the chart's values it was rendered with ({@code chartValues}), the
 * manifest and notes. Immutable; a status change is a new record.
 */
public record Revision(String name, String namespace, int revision, ReleaseStatus status, ChartRef chart,
                       ChartReader.Chart chartInfo, Map<String, Object> chartValues, Map<String, Object> config,
                       String manifest, String notes, Instant lastDeployed, String description) {

    /** This revision with another status and description. */
    public Revision with(ReleaseStatus newStatus, String newDescription) {
        return new Revision(name, namespace, revision, newStatus, chart, chartInfo, chartValues, config, manifest, notes,
                lastDeployed, newDescription);
    }

    /** This revision with another status, its description kept. */
    public Revision with(ReleaseStatus newStatus) {
        return with(newStatus, description);
    }

    /** As the API shows it. */
    public Release toRelease() {
        return new Release(name, namespace, revision, status, chartInfo.name(), chartInfo.version(), chartInfo.appVersion(),
                lastDeployed, description, notes);
    }
}
