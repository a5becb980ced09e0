package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each ResourceQuota of a namespace against what the release adds there: {@code used + adds > hard} is an error
 * ({@code quota.exceeded}), over 90% of {@code hard} a warning ({@code quota.near_limit}). Only what the release adds
 * to (a positive delta) is judged: a quota already full of others' use is not this release's finding unless it adds.
 */
final class QuotaHeadroom {

    private static final BigDecimal NEAR = new BigDecimal("0.9");

    private QuotaHeadroom() {
    }

    /** Whether quota admission applies {@code quota} to every object (no scopes). */
    static boolean unscoped(ResourceQuota quota) {
        return QuotaScopes.unscoped(quota);
    }

    /** The findings of {@code quotas} (in {@code namespace}, unscoped ones) against {@code adds}, by quota resource name. */
    static List<Finding> check(String namespace, List<ResourceQuota> quotas, Map<String, Quantity> adds) {
        List<Finding> out = new ArrayList<>();
        for (ResourceQuota q : quotas) {
            out.addAll(check(namespace, q, adds, Map.of(), List.of()));
        }
        return out;
    }

    /**
     * The findings of one quota against what the release adds to what it charges.
     *
     * @param adds  what the release adds, surge included
     * @param surge the part of {@code adds} only a rolling update's surge adds (its peak over the steady state)
     * @param why   what surges, for the message
     */
    static List<Finding> check(String namespace, ResourceQuota q, Map<String, Quantity> adds, Map<String, Quantity> surge,
                               List<String> why) {
        List<Finding> out = new ArrayList<>();
        String name = (QuotaScopes.unscoped(q) ? "" : "scoped (" + QuotaScopes.describe(q) + ") ") + "ResourceQuota "
                + q.getMetadata().getName();
        Map<String, Quantity> hard = hard(q);
        Map<String, Quantity> used = q.getStatus() == null || q.getStatus().getUsed() == null ? Map.of() : q.getStatus().getUsed();
        hard.forEach((resource, limit) -> {
            Quantity add = adds.get(resource);
            if (add == null || add.getNumericalAmount().signum() <= 0) {
                return;
            }
            Quantity now = used.getOrDefault(resource, new Quantity("0"));
            Quantity total = now.add(add);
            Quantity surged = surge.get(resource);
            String during = surged == null || surged.getNumericalAmount().signum() <= 0 ? ""
                    : " (of which " + Quantities.show(surged, limit) + " only during the rollout: " + String.join("; ", why) + ")";
            String numbers = resource + ": used " + Quantities.show(now, limit) + " + adds " + Quantities.show(add, limit) + during
                    + " = " + Quantities.show(total, limit);
            if (total.compareTo(limit) > 0) {
                out.add(Finding.general("quota", "quota.exceeded", Severity.ERROR,
                        name + " in namespace " + namespace + " would be exceeded: " + numbers + " > hard " + Quantities.show(limit, limit)
                                + " (quota admission refuses the objects or the pods their controllers create)",
                        "raise " + resource + " in " + name + " to at least " + Quantities.show(total, limit)
                                + ", or lower what the release asks (replicas, requests, limits" + (during.isEmpty() ? ")" : ", maxSurge)")));
            } else if (total.getNumericalAmount().compareTo(limit.getNumericalAmount().multiply(NEAR)) > 0) {
                out.add(Finding.general("quota", "quota.near_limit", Severity.WARNING, name + " in namespace "
                        + namespace + " would be nearly full: " + numbers + " of hard " + Quantities.show(limit, limit), null));
            }
        });
        return out;
    }

    /** The quota's hard limits: as the quota controller last saw them ({@code status}), else as specified. */
    static Map<String, Quantity> hard(ResourceQuota q) {
        if (q.getStatus() != null && q.getStatus().getHard() != null && !q.getStatus().getHard().isEmpty()) {
            return q.getStatus().getHard();
        }
        return q.getSpec() == null || q.getSpec().getHard() == null ? Map.of() : q.getSpec().getHard();
    }
}
