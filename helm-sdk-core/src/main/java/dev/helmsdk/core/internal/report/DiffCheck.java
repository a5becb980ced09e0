package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.ObjectChange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the change would add, change and remove, against the live cluster: for an object that exists, the server-side
 * apply dry run's result against the live object ({@link ObjectDiff}, as Argo CD's server-side diff does), so that the
 * server's defaults and conversions are on both sides and a no-op change shows nothing; a field the deployed revision
 * set and the chart no longer renders is removed, as Helm's three-way merge removes it (helm-diff's three-way mode);
 * objects of the deployed
 * revision no longer rendered are removed. An object the server refused is compared as the chart renders it merged
 * over the live object, the nearest to what the change asks.
 */
public final class DiffCheck extends ServerCheck {

    public DiffCheck(ServerReads reads) {
        super("diff", reads);
    }

    @Override
    void check(CheckContext context, ServerView view, ReportBuilder report) {
        for (ServerView.Entry e : view.objects()) {
            change(e).ifPresent(report::add);
        }
        view.removed().forEach(r -> report.add(new ObjectChange(r, ObjectChange.Type.REMOVED, List.of())));
    }

    /**
     * What applying {@code e} would do to the live object: {@code ADDED} when there is none, else {@code CHANGED} with
     * each field (the server's dry-run answer, or when it refused, what was sent merged over the live object), or
     * nothing when it would stay as it is. Drift detection asks the same of the deployed revision's objects.
     */
    static java.util.Optional<ObjectChange> change(ServerView.Entry e) {
        if (e.live().isEmpty()) {
            return java.util.Optional.of(new ObjectChange(e.ref(), ObjectChange.Type.ADDED, List.of()));
        }
        Map<String, Object> after = e.applied().orElseGet(() -> merged(e.live().get(), e.rendered()));
        if (e.previous().isPresent()) {
            after = ObjectDiff.withoutDropped(after, e.previous().get(), e.rendered());
        }
        List<FieldChange> fields = ObjectDiff.diff(e.live().get(), after, "Secret".equals(e.ref().kind()) && "v1".equals(e.ref().apiVersion()));
        return fields.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new ObjectChange(e.ref(), ObjectChange.Type.CHANGED, fields));
    }

    /** {@code wanted} laid over {@code live}: maps merged, anything else replaced. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merged(Map<String, Object> live, Map<String, Object> wanted) {
        Map<String, Object> out = new LinkedHashMap<>(live);
        wanted.forEach((k, v) -> out.merge(k, v, (a, b) -> a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb
                ? merged((Map<String, Object>) ma, (Map<String, Object>) mb) : b));
        return out;
    }
}
