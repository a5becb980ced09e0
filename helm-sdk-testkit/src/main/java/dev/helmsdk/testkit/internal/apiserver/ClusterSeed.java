package dev.helmsdk.testkit.internal.apiserver;

import dev.helmsdk.testkit.internal.workloads.Kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The objects a fresh embedded cluster starts with: system namespaces, one Ready node, the kubernetes Service, a default StorageClass. */
final class ClusterSeed {

  private ClusterSeed() {
  }

  static void seed(ObjectStore store) {
    ApiResources resources = store.resources();
    ResourceType namespaces = store.namespaceType();
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode obj = Json.object();
      Json.metadata(obj).put("name", ns);
      store.create(namespaces, null, obj, false);
    }
    seedNode(store, resources.find("", "v1", "nodes").orElseThrow());
    ObjectNode svc = Json.object();
    ObjectNode svcMeta = Json.metadata(svc);
    svcMeta.put("name", "kubernetes");
    svcMeta.putObject("labels").put("component", "apiserver");
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", "10.96.0.1");
    ObjectNode port = spec.putArray("ports").addObject();
    port.put("name", "https");
    port.put("port", 443);
    port.put("targetPort", 6443);
    store.create(resources.find("", "v1", "services").orElseThrow(), "default", svc, false);
    ObjectNode sc = Json.object();
    ObjectNode scMeta = Json.metadata(sc);
    scMeta.put("name", "standard");
    scMeta.putObject("annotations").put("storageclass.kubernetes.io/is-default-class", "true");
    sc.put("provisioner", "rancher.io/local-path");
    sc.put("reclaimPolicy", "Delete");
    sc.put("volumeBindingMode", "Immediate");
    store.create(resources.find("storage.k8s.io", "v1", "storageclasses").orElseThrow(), null, sc, false);
  }

  private static void seedNode(ObjectStore store, ResourceType nodes) {
    ObjectNode node = Json.object();
    ObjectNode meta = Json.metadata(node);
    meta.put("name", Kubelet.NODE_NAME);
    ObjectNode labels = meta.putObject("labels");
    labels.put("kubernetes.io/hostname", Kubelet.NODE_NAME);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("node-role.kubernetes.io/control-plane", "");
    store.create(nodes, null, node, false);
    store.updateStatus(nodes, null, Kubelet.NODE_NAME, n -> {
      ObjectNode status = Json.object();
      ObjectNode capacity = status.putObject("capacity");
      capacity.put("cpu", "8");
      capacity.put("memory", "32Gi");
      capacity.put("pods", "110");
      status.set("allocatable", capacity.deepCopy());
      ObjectNode ready = status.putArray("conditions").addObject();
      ready.put("type", "Ready");
      ready.put("status", "True");
      ready.put("reason", "KubeletReady");
      ready.put("message", "kubelet is posting ready status");
      ready.put("lastHeartbeatTime", Json.now());
      ready.put("lastTransitionTime", Json.now());
      ObjectNode address = status.putArray("addresses").addObject();
      address.put("type", "InternalIP");
      address.put("address", Kubelet.HOST_IP);
      ObjectNode info = status.putObject("nodeInfo");
      info.put("kubeletVersion", VersionInfo.GIT_VERSION);
      info.put("operatingSystem", "linux");
      info.put("architecture", "amd64");
      info.put("containerRuntimeVersion", "containerd://2.1.0");
      return status;
    });
  }
}
