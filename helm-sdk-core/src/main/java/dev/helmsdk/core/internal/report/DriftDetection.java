package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.DriftRequest;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.spi.DriftSpec;
import dev.helmsdk.core.internal.secrets.Redactor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drift of a deployed revision (Flux's drift detection): the dry run's server view ({@link ServerReads}: a GET and a
 * server-side apply dry run of each object, in parallel) of the revision's manifest instead of a new render, compared
 * as the dry run's diff compares ({@link DiffCheck#change}), so what a no-op upgrade does not show, a fresh release does
 * not show either. Ignore rules drop the fields they cover; an object annotated
 * {@value DriftRequest#OPT_OUT_ANNOTATION}{@code : disabled} (live or deployed) is skipped. Correction re-applies the
 * drifted objects as deployed, their ignored fields as they are live, so a correction never fights what is ignored.
 */
public final class DriftDetection {

    private static final String DISABLED = "disabled";

    private final ServerReads reads = new ServerReads();

    /**
     * What one detection found, kept for a correction of the same objects.
     *
     * @param report  the report
     * @param entries the server's view of each drifted object, in the report's order
     * @param ignores the rules it was found with
     * @param mask    masks the revision's Secret values in the server's messages
     */
    public record Found(DriftReport report, List<ServerView.Entry> entries, List<DriftSpec.Ignore> ignores,
                        java.util.function.UnaryOperator<String> mask) {
    }

    /**
     * Compares each object of {@code manifest} (the revision's) with the live cluster.
     *
     * @param client every request bounded by the operation's deadline
     */
    public Found detect(String release, String namespace, int revision, String chartName, String chartVersion, String manifest,
                        List<DriftSpec.Ignore> ignores, KubernetesClient client) {
        List<Map<String, Object>> objects = KubeObjects.parse(manifest);
        Redactor redactor = secretValues(objects);
        java.util.function.UnaryOperator<String> mask = redactor::mask;
        CheckContext context = new CheckContext(Operation.DRIFT, DryRunMode.SERVER, release, namespace, chartName, chartVersion,
                Optional.empty(), new RenderedManifest(manifest, List.of()), objects, Map.of(), Optional.empty(),
                Optional.of(client), mask);
        ServerView view = reads.of(context);
        List<ObjectChange> drifted = new ArrayList<>();
        List<ServerView.Entry> entries = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (ServerView.Entry e : view.objects()) {
            if (optedOut(e.rendered()) || e.live().map(DriftDetection::optedOut).orElse(false)) {
                findings.add(Finding.about(DriftReport.CHECK, "drift.disabled", Severity.INFO, e.ref(), null,
                        e.ref().id() + " is not checked for drift: it is annotated " + DriftRequest.OPT_OUT_ANNOTATION + ": " + DISABLED,
                        null));
                continue;
            }
            e.refusal().ifPresent(r -> findings.add(Finding.about(DriftReport.CHECK, "drift.refused", Severity.WARNING, e.ref(), null,
                    "the API server would not take " + e.ref().id() + " back as deployed (" + r.code() + "): " + r.message()
                            + "; it is compared as deployed laid over the live object",
                    "a correction would fail on it too: see what in the cluster refuses it")));
            Optional<ObjectChange> change = DiffCheck.change(e).map(c -> withoutIgnored(c, ignores))
                    .filter(c -> c.type() != ObjectChange.Type.CHANGED || !c.fields().isEmpty());
            if (change.isPresent()) {
                drifted.add(change.get());
                entries.add(e);
            }
        }
        return new Found(new DriftReport(release, namespace, revision, drifted, findings, List.of()), entries, ignores, mask);
    }

    /**
     * Re-applies each drifted object of {@code found} as deployed (its ignored fields as they are live), in parallel;
     * one the server refuses is an error finding, the others are still applied.
     */
    public DriftReport correct(Found found, KubernetesClient client) {
        DriftReport r = found.report();
        List<Optional<String>> failures = Parallel.map(found.entries(), e -> {
            try {
                ServerReads.applyForReal(client, desired(e, found.ignores()), r.namespace());
                return Optional.<String>empty();
            } catch (KubernetesClientException ex) {
                if (ex.getCode() == 0 || ex.getCode() == 401) {
                    throw ex;   // unreachable, or not who we say: the correction as a whole failed
                }
                String message = ex.getStatus() != null && ex.getStatus().getMessage() != null ? ex.getStatus().getMessage() : ex.getMessage();
                return Optional.of(found.mask().apply(String.valueOf(message)));
            }
        });
        List<ObjectRef> corrected = new ArrayList<>();
        List<Finding> findings = new ArrayList<>(r.findings());
        for (int i = 0; i < failures.size(); i++) {
            ObjectRef ref = found.entries().get(i).ref();
            if (failures.get(i).isEmpty()) {
                corrected.add(ref);
            } else {
                findings.add(Finding.about(DriftReport.CHECK, "drift.correction_failed", Severity.ERROR, ref, null,
                        "re-applying " + ref.id() + " as deployed failed: " + failures.get(i).get(),
                        "it is still drifted; fix what refuses it, or upgrade the release"));
            }
        }
        return new DriftReport(r.releaseName(), r.namespace(), r.revision(), r.drifted(), findings, corrected);
    }

    /** The object as deployed, with every field an ignore rule covers as it is live (absent when it is not). */
    static Map<String, Object> desired(ServerView.Entry e, List<DriftSpec.Ignore> ignores) {
        Object out = e.rendered();
        for (DriftSpec.Ignore rule : ignores) {
            if (applies(rule, e.ref())) {
                Optional<Object> live = e.live().flatMap(l -> JsonPointers.at(l, rule.path()));
                out = JsonPointers.with(out, JsonPointers.keys(rule.path()), live);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) out;
        return object;
    }

    /** {@code change} without the fields the rules cover; empty when nothing else changed. An object missing stays. */
    static ObjectChange withoutIgnored(ObjectChange change, List<DriftSpec.Ignore> ignores) {
        if (change.type() != ObjectChange.Type.CHANGED) {
            return change;
        }
        return new ObjectChange(change.object(), change.type(),
                change.fields().stream().filter(f -> !ignored(ignores, change.object(), f.path())).toList());
    }

    /** Whether a rule covers the field {@code path} of {@code object}. */
    static boolean ignored(List<DriftSpec.Ignore> ignores, ObjectRef object, String path) {
        return ignores.stream().anyMatch(rule -> applies(rule, object) && JsonPointers.covers(rule.path(), path));
    }

    private static boolean applies(DriftSpec.Ignore rule, ObjectRef object) {
        return (rule.kind().equals(DriftSpec.Ignore.ANY) || rule.kind().equals(object.kind()))
                && (rule.name().equals(DriftSpec.Ignore.ANY) || rule.name().equals(object.name()));
    }

    private static boolean optedOut(Map<String, Object> object) {
        return DISABLED.equals(KubeObjects.string(KubeObjects.map(KubeObjects.map(object, "metadata"), "annotations"),
                DriftRequest.OPT_OUT_ANNOTATION));
    }

    /**
     * A mask of the Secret values in a revision's manifest (its data, decoded and as written, and its stringData); a
     * manifest that does not parse has no Secret to mask.
     */
    public static Redactor secretValues(String manifest) {
        try {
            return secretValues(KubeObjects.parse(manifest));
        } catch (RuntimeException e) {
            return Redactor.NONE;
        }
    }

    /** The Secret values of the revision (its data decoded, its stringData), masked wherever the server repeats them. */
    private static Redactor secretValues(List<Map<String, Object>> objects) {
        List<Object> values = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            if (!"Secret".equals(o.get("kind"))) {
                continue;
            }
            KubeObjects.map(o, "stringData").values().forEach(values::add);
            for (Object v : KubeObjects.map(o, "data").values()) {
                values.add(v);
                try {
                    values.add(new String(Base64.getDecoder().decode(String.valueOf(v).trim()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notBase64) {
                    // the server refuses it; its text is masked as it is
                }
            }
        }
        return Redactor.of(values);
    }
}
