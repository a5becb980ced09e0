package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.core.internal.report.CheckContext;
import dev.helmsdk.core.internal.report.DryRunChecks;
import dev.helmsdk.core.internal.report.ReportBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a rollback would do, changing nothing: the change a rollback applies is the target revision's stored manifest
 * (and its rollback hooks) with its values, laid over the latest revision's manifest as Helm's rollback lays it, so the
 * checks see exactly that. No chart is rebuilt (lint and the values schema, which need one, do not apply), nothing is
 * locked, applied or recorded.
 */
final class RollbackDryRunStage implements ChangeStage {

    private final DryRunChecks checks;
    private final ReleaseStore store;
    private final ManifestParser manifests;
    private final ObjectMapper yaml;
    private final Supplier<KubernetesClient> client;

    RollbackDryRunStage(DryRunChecks checks, ReleaseStore store, ManifestParser manifests, ObjectMapper yaml,
                        Supplier<KubernetesClient> client) {
        this.checks = checks;
        this.store = store;
        this.manifests = manifests;
        this.yaml = yaml;
        this.client = client;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.isDryRun() && c.kind() == Operation.ROLLBACK;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        StoredRelease target = c.target();
        RenderedManifest rendered = manifests.parse(withRollbackHooks(target));
        // Helm's rollback applies the target over the latest revision, whatever its status.
        int latest = c.earlier().lastKey();
        String current = latest == target.revision() ? target.manifest()
                : store.revision(c.op(), c.namespace(), c.release(), latest).manifest();
        JsonNode meta = target.chart().path("metadata");
        String name = meta.path("name").asText("");
        String version = meta.path("version").asText("");
        boolean server = c.dryRun() == DryRunMode.SERVER;
        CheckContext context = new CheckContext(Operation.ROLLBACK, c.dryRun(), c.release(), c.namespace(), name, version,
                Optional.empty(), rendered, DryRunStage.objects(yaml, rendered), c.values() == null ? Map.of() : c.values(),
                Optional.of(current), server ? Optional.ofNullable(client.get()) : Optional.empty(), c.redactor()::mask,
                false, c.rollback().readiness().enabled(), Optional.empty());
        ReportBuilder report = checks.run(context);
        return next.run(c.withResult(new DryRunResult(c.release(), c.namespace(), c.dryRun(), false, name, version, rendered,
                target.notes().strip(), report.changes(), report.findings(), Operation.ROLLBACK)));
    }

    /** The target's manifest and the hooks a rollback runs (pre- and post-rollback), each under its template's path. */
    private static String withRollbackHooks(StoredRelease target) {
        StringBuilder text = new StringBuilder(target.manifest());
        for (JsonNode hook : target.hooks()) {
            boolean rollbackHook = false;
            for (JsonNode event : hook.path("events")) {
                rollbackHook |= event.asText().endsWith("-rollback");
            }
            if (rollbackHook) {
                text.append("\n---\n# Source: ").append(hook.path("path").asText("")).append('\n')
                        .append(hook.path("manifest").asText(""));
            }
        }
        return text.toString();
    }
}
