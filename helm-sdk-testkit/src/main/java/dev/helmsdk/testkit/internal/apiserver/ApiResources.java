package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The resources this API serves: a fixed table of built-in kinds plus whatever CustomResourceDefinitions add.
 * Also renders the discovery documents, because client-go maps every manifest through them.
 */
public final class ApiResources {

  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final List<ResourceType> builtIns;
  private final List<ResourceType> custom = new CopyOnWriteArrayList<>();

  ApiResources() {
    builtIns = List.copyOf(builtInTable());
  }

  private static List<ResourceType> builtInTable() {
    List<ResourceType> t = new ArrayList<>();
    // core/v1
    t.add(rt("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of()));
    t.add(rt("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of()));
    t.add(rt("", "v1", "events", "Event", true, List.of("ev"), List.of()));
    t.add(rt("", "v1", "limitranges", "LimitRange", true, List.of("limits"), List.of()));
    t.add(rt("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of("status", "finalize")));
    t.add(rt("", "v1", "nodes", "Node", false, List.of("no"), List.of("status")));
    t.add(rt("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), List.of("status")));
    t.add(rt("", "v1", "persistentvolumes", "PersistentVolume", false, List.of("pv"), List.of("status")));
    t.add(rt("", "v1", "pods", "Pod", true, List.of("po"), List.of("status", "log", "eviction", "ephemeralcontainers")));
    t.add(rt("", "v1", "podtemplates", "PodTemplate", true, List.of(), List.of()));
    t.add(rt("", "v1", "replicationcontrollers", "ReplicationController", true, List.of("rc"), List.of("status", "scale")));
    t.add(rt("", "v1", "resourcequotas", "ResourceQuota", true, List.of("quota"), List.of("status")));
    t.add(rt("", "v1", "secrets", "Secret", true, List.of(), List.of()));
    t.add(rt("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of()));
    t.add(rt("", "v1", "services", "Service", true, List.of("svc"), List.of("status")));
    // apps/v1
    t.add(rt("apps", "v1", "controllerrevisions", "ControllerRevision", true, List.of(), List.of()));
    t.add(rt("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("status")));
    t.add(rt("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), List.of("status", "scale")));
    t.add(rt("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), List.of("status", "scale")));
    t.add(rt("apps", "v1", "statefulsets", "StatefulSet", true, List.of("sts"), List.of("status", "scale")));
    // batch/v1
    t.add(rt("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("status")));
    t.add(rt("batch", "v1", "jobs", "Job", true, List.of(), List.of("status")));
    // others commonly found in charts
    t.add(rt("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, List.of("hpa"), List.of("status")));
    t.add(rt("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, List.of("hpa"), List.of("status")));
    t.add(rt("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, List.of("pdb"), List.of("status")));
    t.add(rt("networking.k8s.io", "v1", "ingresses", "Ingress", true, List.of("ing"), List.of("status")));
    t.add(rt("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false, List.of(), List.of()));
    t.add(rt("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, List.of("netpol"), List.of()));
    t.add(rt("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, List.of(), List.of()));
    t.add(rt("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, List.of(), List.of()));
    t.add(rt("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, List.of(), List.of()));
    t.add(rt("rbac.authorization.k8s.io", "v1", "roles", "Role", true, List.of(), List.of()));
    t.add(rt("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, List.of("sc"), List.of()));
    t.add(rt("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false, List.of(), List.of()));
    t.add(rt("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
        List.of("crd", "crds"), List.of("status")));
    t.add(rt("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
        false, List.of(), List.of()));
    t.add(rt("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
        false, List.of(), List.of()));
    t.add(rt("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), List.of()));
    t.add(rt("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, List.of(), List.of()));
    t.add(rt("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, List.of("pc"), List.of()));
    t.add(rt("node.k8s.io", "v1", "runtimeclasses", "RuntimeClass", false, List.of(), List.of()));
    t.add(rt("events.k8s.io", "v1", "events", "Event", true, List.of("ev"), List.of()));
    return t;
  }

  private static ResourceType rt(String group, String version, String plural, String kind, boolean namespaced,
      List<String> shortNames, List<String> subresources) {
    List<String> categories = Set.of("pods", "services", "deployments", "replicasets", "statefulsets", "daemonsets",
        "jobs", "cronjobs", "horizontalpodautoscalers", "replicationcontrollers").contains(plural) ? List.of("all") : List.of();
    return new ResourceType(group, version, plural, kind.toLowerCase(Locale.ROOT), kind, namespaced, shortNames,
        subresources, categories);
  }

  /** All served resources, built-ins first. */
  List<ResourceType> all() {
    List<ResourceType> all = new ArrayList<>(builtIns);
    all.addAll(custom);
    return all;
  }

  public Optional<ResourceType> find(String group, String version, String plural) {
    for (ResourceType t : builtIns) {
      if (t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural)) {
        return Optional.of(t);
      }
    }
    for (ResourceType t : custom) {
      if (t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Finds the type for an {@code apiVersion} and {@code kind}, as written in objects and owner references. */
  public Optional<ResourceType> findByKind(String apiVersion, String kind) {
    if (apiVersion == null || kind == null) {
      return Optional.empty();
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.kind().equals(kind))
        .findFirst();
  }

  /** Registers the served versions of a CustomResourceDefinition, replacing an earlier registration. */
  void registerCrd(JsonNode crd) {
    unregisterCrd(crd);
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    JsonNode names = spec.path("names");
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    List<String> categories = new ArrayList<>();
    names.path("categories").forEach(n -> categories.add(n.asText()));
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      List<String> sub = new ArrayList<>();
      v.path("subresources").fieldNames().forEachRemaining(sub::add);
      custom.add(new ResourceType(group, v.path("name").asText(), names.path("plural").asText(),
          names.path("singular").asText(null), names.path("kind").asText(), namespaced, shortNames, sub, categories));
    }
  }

  void unregisterCrd(JsonNode crd) {
    String group = crd.path("spec").path("group").asText();
    String plural = crd.path("spec").path("names").path("plural").asText();
    custom.removeIf(t -> t.group().equals(group) && t.plural().equals(plural));
  }

  // ---- discovery documents ----

  ObjectNode apiVersions(String serverAddress) {
    ObjectNode root = Json.object();
    root.put("kind", "APIVersions");
    root.putArray("versions").add("v1");
    ObjectNode cidr = root.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return root;
  }

  ObjectNode apiGroupList() {
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    for (ResourceType t : all()) {
      if (!t.group().isEmpty()) {
        groups.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
      }
    }
    ObjectNode root = Json.object();
    root.put("kind", "APIGroupList");
    root.put("apiVersion", "v1");
    ArrayNode items = root.putArray("groups");
    groups.forEach((name, versions) -> {
      ObjectNode g = items.addObject();
      g.put("name", name);
      ArrayNode vs = g.putArray("versions");
      for (String v : versions) {
        ObjectNode gv = vs.addObject();
        gv.put("groupVersion", name + "/" + v);
        gv.put("version", v);
      }
      // The first listed version is the preferred one (v2 before v1 for autoscaling).
      String preferred = versions.iterator().next();
      ObjectNode p = g.putObject("preferredVersion");
      p.put("groupVersion", name + "/" + preferred);
      p.put("version", preferred);
    });
    return root;
  }

  /**
   * Aggregated discovery ({@code apidiscovery.k8s.io/v2}) for {@code /api} (core) or {@code /apis}: one document
   * instead of one request per group version, which is what client-go asks for first.
   */
  ObjectNode aggregatedDiscovery(boolean core) {
    Map<String, Map<String, List<ResourceType>>> groups = new LinkedHashMap<>();
    for (ResourceType t : all()) {
      if (t.group().isEmpty() == core) {
        groups.computeIfAbsent(t.group(), g -> new LinkedHashMap<>())
            .computeIfAbsent(t.version(), v -> new ArrayList<>()).add(t);
      }
    }
    ObjectNode root = Json.object();
    root.put("kind", "APIGroupDiscoveryList");
    root.put("apiVersion", "apidiscovery.k8s.io/v2");
    root.putObject("metadata");
    ArrayNode items = root.putArray("items");
    groups.forEach((group, versions) -> {
      ObjectNode item = items.addObject();
      ObjectNode meta = item.putObject("metadata");
      if (!group.isEmpty()) {
        meta.put("name", group);
      }
      ArrayNode vs = item.putArray("versions");
      versions.forEach((version, types) -> {
        ObjectNode v = vs.addObject();
        v.put("version", version);
        ArrayNode rs = v.putArray("resources");
        for (ResourceType t : types) {
          ObjectNode r = rs.addObject();
          r.put("resource", t.plural());
          r.set("responseKind", kindRef(t.group(), t.version(), t.kind()));
          r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
          r.put("singularResource", t.singular());
          verbsAndNames(r, t);
          if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String sub : t.subresources()) {
              ObjectNode s = subs.addObject();
              s.put("subresource", sub);
              s.set("responseKind", "scale".equals(sub) ? kindRef("autoscaling", "v1", "Scale")
                  : kindRef(t.group(), t.version(), t.kind()));
              ArrayNode sv = s.putArray("verbs");
              if ("log".equals(sub)) {
                sv.add("get");
              } else if ("eviction".equals(sub)) {
                sv.add("create");
              } else {
                sv.add("get").add("patch").add("update");
              }
            }
          }
        }
        v.put("freshness", "Current");
      });
    });
    return root;
  }

  private static ObjectNode kindRef(String group, String version, String kind) {
    ObjectNode k = Json.object();
    k.put("group", group);
    k.put("version", version);
    k.put("kind", kind);
    return k;
  }

  /** The APIGroup document for {@code /apis/<group>}. */
  Optional<ObjectNode> apiGroup(String group) {
    for (JsonNode g : apiGroupList().path("groups")) {
      if (group.equals(g.path("name").asText())) {
        ObjectNode doc = ((ObjectNode) g).deepCopy();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        return Optional.of(doc);
      }
    }
    return Optional.empty();
  }

  /** The APIResourceList for a group version, or empty when the group version is not served. */
  Optional<ObjectNode> apiResourceList(String group, String version) {
    List<ResourceType> types = all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .toList();
    if (types.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode root = Json.object();
    root.put("kind", "APIResourceList");
    root.put("apiVersion", "v1");
    root.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = root.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      verbsAndNames(r, t);
      for (String sub : t.subresources()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        if ("scale".equals(sub)) {
          s.put("group", "autoscaling");
          s.put("version", "v1");
          s.put("kind", "Scale");
        } else {
          s.put("kind", t.kind());
        }
        ArrayNode sv = s.putArray("verbs");
        if ("log".equals(sub)) {
          sv.add("get");
        } else if ("eviction".equals(sub)) {
          sv.add("create");
        } else {
          sv.add("get").add("patch").add("update");
        }
      }
    }
    return Optional.of(root);
  }

  /** Verbs, short names and categories: the same in aggregated and classic discovery documents. */
  private static void verbsAndNames(ObjectNode r, ResourceType t) {
    ArrayNode verbs = r.putArray("verbs");
    ALL_VERBS.stream()
        .filter(verb -> !("namespaces".equals(t.plural()) && "deletecollection".equals(verb)))
        .forEach(verbs::add);
    if (!t.shortNames().isEmpty()) {
      ArrayNode sn = r.putArray("shortNames");
      t.shortNames().forEach(sn::add);
    }
    if (!t.categories().isEmpty()) {
      ArrayNode cats = r.putArray("categories");
      t.categories().forEach(cats::add);
    }
  }
}
