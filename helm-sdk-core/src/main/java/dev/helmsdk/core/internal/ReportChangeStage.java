package dev.helmsdk.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.source.Digests;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells the interceptors what a change did to its release ({@link OperationSignal.Changed}): chart,
 * source, the deployed revision before and the one recorded after, and a digest of the values as
 * given (secret references as references), once it has ended, failed or not. Placed where the
 * chart, the values, the history and a rollback's target are known.
 */
final class ReportChangeStage implements ChangeStage {

    private final Consumer<OperationSignal> signals;
    /** Sorted keys: the same values give the same digest whatever order they were given in. */
    private final ObjectWriter canonical;

    ReportChangeStage(Consumer<OperationSignal> signals, ObjectMapper json) {
        this.signals = signals;
        this.canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.changes();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        ChangeContext end = null;
        try {
            end = next.run(c);
            return end;
        } finally {
            signals.accept(changed(c, end == null ? null : end.releaseResult()));
        }
    }

    private OperationSignal.Changed changed(ChangeContext c, Release after) {
        if (c.kind() == Operation.UNINSTALL) {
            return new OperationSignal.Changed("", "", "", after == null ? 0 : after.revision(), 0, "");
        }
        int revision = after == null ? 0 : after.revision();
        // The statuses taken before a waiting change know; else the new revision follows the latest one.
        int before = c.earlier() != null && !c.earlier().isEmpty() ? c.earlier().lastKey() : Math.max(0, revision - 1);
        String source;
        String name;
        String version;
        if (c.kind() == Operation.ROLLBACK) {
            source = c.target() == null ? "" : "revision " + c.target().revision();
            name = after != null ? after.chartName() : "";
            version = after != null ? after.chartVersion() : "";
        } else {
            Map<String, String> meta = c.chart() == null ? Map.of() : c.chart().metadata();
            source = c.deploy().chart() == null ? "" : c.deploy().chart().describe();
            name = after != null ? after.chartName() : meta.getOrDefault("name", "");
            version = after != null ? after.chartVersion() : meta.getOrDefault("version", "");
        }
        return new OperationSignal.Changed(name, version, source, before, revision, digest(c));
    }

    private String digest(ChangeContext c) {
        Map<String, Object> given = c.valuesToRecord().orElse(c.values());
        try {
            return "sha256:" + Digests.sha256(canonical.writeValueAsString(given == null ? Map.of() : given));
        } catch (JsonProcessingException e) {
            return ""; // values that cannot be written as JSON never reached Helm either
        }
    }
}
