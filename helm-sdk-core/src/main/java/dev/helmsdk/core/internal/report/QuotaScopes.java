package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods a ResourceQuota's scopes select, as quota admission decides ({@code podMatchesScopeFunc} in Kubernetes'
 * pod evaluator): every scope of {@code spec.scopes} and every requirement of {@code spec.scopeSelector} must hold.
 * A scoped quota charges only the pods it selects (and their requests and limits), never other objects.
 */
final class QuotaScopes {

    /** The scopes a pod can be told apart by; VolumeAttributesClass selects claims, not modelled here. */
    private static final Set<String> POD_SCOPES = Set.of("BestEffort", "NotBestEffort", "Terminating", "NotTerminating",
            "PriorityClass", "CrossNamespacePodAffinity");

    private QuotaScopes() {
    }

    /** The quota's requirements, {@code spec.scopes} as {@code Exists} requirements, then its scope selector's. */
    static List<ScopedResourceSelectorRequirement> requirements(ResourceQuota quota) {
        List<ScopedResourceSelectorRequirement> out = new ArrayList<>();
        if (quota.getSpec() == null) {
            return out;
        }
        for (String scope : orEmpty(quota.getSpec().getScopes())) {
            out.add(new io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirementBuilder().withOperator("Exists")
                    .withScopeName(scope).build());
        }
        if (quota.getSpec().getScopeSelector() != null) {
            out.addAll(orEmpty(quota.getSpec().getScopeSelector().getMatchExpressions()));
        }
        return out;
    }

    /** Whether the quota has no scopes: it charges every object of its resources. */
    static boolean unscoped(ResourceQuota quota) {
        return requirements(quota).isEmpty();
    }

    /** Whether every scope of the quota is one this check can decide for a pod. */
    static boolean modelled(ResourceQuota quota) {
        return requirements(quota).stream().allMatch(r -> POD_SCOPES.contains(r.getScopeName()));
    }

    /**
     * Whether quota admission charges a pod to the quota.
     *
     * @param spec       the pod's spec
     * @param containers its containers after the LimitRanger's defaults (admission runs before quota's)
     */
    static boolean selects(ResourceQuota quota, PodSpec spec, List<PodResources.Defaulted> containers) {
        return requirements(quota).stream().allMatch(r -> matches(r, spec, containers));
    }

    private static boolean matches(ScopedResourceSelectorRequirement r, PodSpec spec, List<PodResources.Defaulted> containers) {
        return switch (r.getScopeName()) {
            case "Terminating" -> terminating(spec);
            case "NotTerminating" -> !terminating(spec);
            case "BestEffort" -> bestEffort(containers);
            case "NotBestEffort" -> !bestEffort(containers);
            case "PriorityClass" -> priorityClass(r, Optional.ofNullable(spec.getPriorityClassName()).orElse(""));
            case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(spec.getAffinity());
            default -> false;   // as Kubernetes: a scope the pod evaluator does not know selects no pod
        };
    }

    /** {@code activeDeadlineSeconds >= 0}: pods that end on their own. */
    private static boolean terminating(PodSpec spec) {
        return spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() >= 0;
    }

    /** The BestEffort QoS class: no container requests or limits cpu or memory. */
    private static boolean bestEffort(List<PodResources.Defaulted> containers) {
        for (PodResources.Defaulted c : containers) {
            for (Map<String, Quantity> m : List.of(c.requests(), c.limits())) {
                if (m.containsKey("cpu") || m.containsKey("memory")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Exists: any class named; otherwise a label selector over {@code PriorityClass=<name>} (the key is always there). */
    private static boolean priorityClass(ScopedResourceSelectorRequirement r, String name) {
        List<String> values = orEmpty(r.getValues());
        return switch (r.getOperator()) {
            case "Exists" -> !name.isEmpty();
            case "In" -> values.contains(name);
            case "NotIn" -> !values.contains(name);
            default -> false;   // DoesNotExist: the key is always in the set Kubernetes matches against
        };
    }

    /** Pod affinity or anti-affinity terms naming namespaces or a namespace selector. */
    private static boolean crossNamespaceAffinity(Affinity a) {
        if (a == null) {
            return false;
        }
        List<PodAffinityTerm> terms = new ArrayList<>();
        if (a.getPodAffinity() != null) {
            terms.addAll(orEmpty(a.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()));
            orEmpty(a.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).stream()
                    .map(WeightedPodAffinityTerm::getPodAffinityTerm).forEach(terms::add);
        }
        if (a.getPodAntiAffinity() != null) {
            terms.addAll(orEmpty(a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()));
            orEmpty(a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).stream()
                    .map(WeightedPodAffinityTerm::getPodAffinityTerm).forEach(terms::add);
        }
        return terms.stream().filter(java.util.Objects::nonNull)
                .anyMatch(t -> t.getNamespaceSelector() != null || !orEmpty(t.getNamespaces()).isEmpty());
    }

    /** The scopes, for a message: {@code BestEffort, PriorityClass In [high]}. */
    static String describe(ResourceQuota quota) {
        return String.join(", ", requirements(quota).stream().map(r -> r.getScopeName()
                + ("Exists".equals(r.getOperator()) ? "" : " " + r.getOperator() + " " + orEmpty(r.getValues()))).toList());
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }
}
