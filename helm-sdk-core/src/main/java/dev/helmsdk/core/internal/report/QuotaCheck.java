package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * ResourceQuota and LimitRange headroom for what the release adds, per namespace: quota admission sees the pods
 * only when the controllers create them, after the install reported success, so the dry run computes them:
 * replicas times each pod's effective requests and limits (LimitRange defaults applied), object counts and claimed
 * storage, minus what the deployed revision already uses on an upgrade, plus the surge of a Deployment's rolling update
 * ({@link Rollouts}); a scoped quota is charged only the pods its scopes select ({@link QuotaScopes}); claims against
 * LimitRanges of type PersistentVolumeClaim. Two lists per namespace (quotas, LimitRanges), asked in parallel, plus the
 * node list when a DaemonSet is rendered.
 */
public final class QuotaCheck implements DryRunCheck {

    /** What one namespace constrains. */
    private record Limits(List<ResourceQuota> quotas, List<LimitRange> limitRanges, Optional<String> unreadable) {

        List<LimitRangeItem> items() {
            return limitRanges.stream().flatMap(l -> l.getSpec() == null || l.getSpec().getLimits() == null ? Stream.empty()
                    : l.getSpec().getLimits().stream()).toList();
        }
    }

    @Override
    public String name() {
        return "quota";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return KubeObjects.changeOnServer(context);
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        KubernetesClient client = context.client().orElseThrow();
        List<Map<String, Object>> rendered = context.objects();
        List<Map<String, Object>> deployed = KubeObjects.deployed(context);
        ApiResources resources = ApiResources.discover(client, rendered, deployed);
        Set<String> namespaces = new TreeSet<>();
        namespaces.add(context.namespace());
        Stream.concat(rendered.stream(), deployed.stream())
                .filter(o -> resources.resource(KubeObjects.string(o, "apiVersion"), KubeObjects.string(o, "kind")).namespaced())
                .forEach(o -> namespaces.add(KubeObjects.namespaceOf(o, context.namespace())));
        List<String> nsList = List.copyOf(namespaces);
        List<Limits> read = Parallel.map(nsList, ns -> limits(client, ns));
        Map<String, Limits> limits = new TreeMap<>();
        for (int i = 0; i < nsList.size(); i++) {
            limits.put(nsList.get(i), read.get(i));
            read.get(i).unreadable().ifPresent(why -> report.add(Finding.general("quota", "quota.unreadable", Severity.WARNING,
                    context.mask().apply(why), "grant list on resourcequotas and limitranges there to check quota headroom")));
        }
        if (limits.values().stream().allMatch(l -> l.quotas().isEmpty() && l.limitRanges().isEmpty())) {
            return;   // nothing constrains the release: no need to count
        }
        int nodes = rendered.stream().anyMatch(o -> "DaemonSet".equals(KubeObjects.string(o, "kind"))) ? nodes(client, report) : 1;
        java.util.function.Function<String, List<LimitRangeItem>> items = ns -> itemsOf(limits, ns);
        Map<String, Map<String, Quantity>> adds = ReleaseUsage.delta(
                ReleaseUsage.of(rendered, context.namespace(), resources, items, nodes),
                ReleaseUsage.of(deployed, context.namespace(), resources, items, nodes));
        // Every install, upgrade and rollback stores a new release record, a Secret in the release's namespace.
        Map<String, Quantity> own = adds.computeIfAbsent(context.namespace(), k -> new TreeMap<>());
        ReleaseUsage.add(own, "secrets", new Quantity("1"));
        ReleaseUsage.add(own, "count/secrets", new Quantity("1"));
        Rollouts.Surge surge = Rollouts.of(rendered, deployed, context.namespace(), items, null);
        limits.forEach((ns, l) -> {
            for (ResourceQuota q : l.quotas()) {
                if (QuotaHeadroom.unscoped(q)) {
                    headroom(ns, q, adds.getOrDefault(ns, Map.of()), surge, report);
                } else if (!QuotaScopes.modelled(q)) {
                    report.add(Finding.general("quota", "quota.scoped_not_checked", Severity.INFO, "ResourceQuota "
                            + q.getMetadata().getName() + " in namespace " + ns + " has scopes the dry run does not model ("
                            + QuotaScopes.describe(q) + "); it is not checked", null));
                } else {
                    // A scoped quota is charged only the pods it selects, with their requests and limits.
                    ReleaseUsage.Charged selected = (w, containers) -> QuotaScopes.selects(q, w.spec(), containers);
                    Map<String, Map<String, Quantity>> scoped = ReleaseUsage.delta(
                            ReleaseUsage.of(rendered, context.namespace(), resources, items, nodes, selected),
                            ReleaseUsage.of(deployed, context.namespace(), resources, items, nodes, selected));
                    headroom(ns, q, scoped.getOrDefault(ns, Map.of()),
                            Rollouts.of(rendered, deployed, context.namespace(), items, selected), report);
                }
            }
        });
        for (Map<String, Object> o : rendered) {
            if (KubeObjects.testHook(o)) {
                continue;
            }
            String ns = KubeObjects.namespaceOf(o, context.namespace());
            Limits l = limits.get(ns);
            if (l != null) {
                Workloads.of(o, ns, nodes).ifPresent(w -> pods(w, ns, l, report));
                if ("PersistentVolumeClaim".equals(KubeObjects.string(o, "kind"))) {
                    claim(KubeObjects.ref(o, ns), "", Workloads.claim(o), ns, l, report);
                }
            }
        }
    }

    /** One quota's findings, the surge of rolling Deployments added to what the release adds. */
    private static void headroom(String ns, ResourceQuota q, Map<String, Quantity> adds, Rollouts.Surge surge, ReportBuilder report) {
        Map<String, Quantity> extra = surge.extra().getOrDefault(ns, Map.of());
        Map<String, Quantity> total = new TreeMap<>(adds);
        extra.forEach((k, v) -> ReleaseUsage.add(total, k, v));
        QuotaHeadroom.check(ns, q, total, extra, surge.why().getOrDefault(ns, List.of())).forEach(report::add);
    }

    /** What the LimitRanger would refuse in a claim (its type PersistentVolumeClaim: storage min and max). */
    private static void claim(dev.helmsdk.api.report.ObjectRef object, String pointer, io.fabric8.kubernetes.api.model.PersistentVolumeClaim c,
                              String ns, Limits l, ReportBuilder report) {
        for (LimitRange lr : l.limitRanges()) {
            List<LimitRangeItem> items = lr.getSpec() == null || lr.getSpec().getLimits() == null ? List.of() : lr.getSpec().getLimits();
            for (LimitRangeRules.Violation v : LimitRangeRules.claim(c, items)) {
                report.add(Finding.about("quota", "quota.limit_range", Severity.ERROR, object, pointer + "/spec/resources/requests",
                        "LimitRange " + lr.getMetadata().getName() + " in namespace " + ns + " refuses the claim: " + v.what() + ": "
                                + v.message(), "change the claim's storage request to fit LimitRange " + lr.getMetadata().getName()));
            }
        }
    }

    /** What quota admission and the LimitRanger would refuse in the pods of {@code w}. */
    private static void pods(Workloads.Workload w, String ns, Limits l, ReportBuilder report) {
        List<PodResources.Defaulted> containers = PodResources.defaulted(w.spec(), l.items());
        for (ResourceQuota q : l.quotas()) {
            if (!QuotaHeadroom.unscoped(q) && !(QuotaScopes.modelled(q) && QuotaScopes.selects(q, w.spec(), containers))) {
                continue;   // admission asks only the quotas that select the pod
            }
            PodResources.missingForQuota(containers, QuotaHeadroom.hard(q).keySet()).forEach((resource, names) ->
                    report.add(Finding.about("quota", "quota.requests_required", Severity.ERROR, w.object(),
                            w.pointer() + "/containers", "ResourceQuota " + q.getMetadata().getName() + " in namespace " + ns
                                    + " limits " + resource + ", so every container must state it, and " + String.join(", ", names)
                                    + " does not (no LimitRange default gives one): the API server would refuse the pods",
                            "set resources." + resource + " on " + String.join(", ", names)
                                    + ", or add a LimitRange with a default for it in namespace " + ns)));
        }
        for (int i = 0; i < w.claims().size(); i++) {
            claim(w.object(), w.pointer().replace("/template/spec", "") + "/volumeClaimTemplates/" + i, w.claims().get(i), ns, l, report);
        }
        Map<String, Quantity> effective = PodResources.effective(w.spec(), containers);
        for (LimitRange lr : l.limitRanges()) {
            List<LimitRangeItem> items = lr.getSpec() == null || lr.getSpec().getLimits() == null ? List.of() : lr.getSpec().getLimits();
            for (LimitRangeRules.Violation v : LimitRangeRules.check(containers, effective, items)) {
                report.add(Finding.about("quota", "quota.limit_range", Severity.ERROR, w.object(), w.pointer(),
                        "LimitRange " + lr.getMetadata().getName() + " in namespace " + ns + " refuses the pods: " + v.what() + ": "
                                + v.message(), "change the containers' resources to fit LimitRange " + lr.getMetadata().getName()));
            }
        }
    }

    private static List<LimitRangeItem> itemsOf(Map<String, Limits> limits, String ns) {
        Limits l = limits.get(ns);
        return l == null ? List.of() : l.items();
    }

    private static Limits limits(KubernetesClient client, String ns) {
        try {
            List<ResourceQuota> quotas = client.resourceQuotas().inNamespace(ns).list().getItems();
            List<LimitRange> ranges = client.limitRanges().inNamespace(ns).list().getItems();
            return new Limits(quotas, ranges, Optional.empty());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return new Limits(List.of(), List.of(), Optional.of("cannot read the ResourceQuotas and LimitRanges of namespace "
                        + ns + " (forbidden): quota headroom there is not checked"));
            }
            throw e;
        }
    }

    /** The node count, for DaemonSets (every node: node selectors and taints are not modelled). */
    private static int nodes(KubernetesClient client, ReportBuilder report) {
        try {
            return Math.max(1, client.nodes().list().getItems().size());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            report.add(Finding.general("quota", "quota.nodes_unknown", Severity.WARNING,
                    "cannot list nodes (forbidden): a DaemonSet's pods are counted as one", "grant list on nodes for an exact count"));
            return 1;
        }
    }
}
