package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.testkit.WorkloadFailure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.terminating;

/**
 * The kubelet-facing side of a pod: the scheduler's binding to the simulated node, an address, and the status
 * the {@link Kubelet} computes for it (with the failure a test injected), rescheduled for the next restart.
 */
final class PodReconciler {

  private final ObjectStore store;
  private final SimulatedController controller;
  private final ResourceType pods;
  private final AtomicInteger nextPodIp = new AtomicInteger(2);

  PodReconciler(ObjectStore store, SimulatedController controller) {
    this.store = store;
    this.controller = controller;
    pods = store.resources().find("", "v1", "pods").orElseThrow();
  }

  void pod(String ns, String name) {
    Optional<ObjectNode> found = store.find(pods, ns, name);
    if (found.isEmpty() || terminating(found.get()) || Kubelet.isTerminal(found.get())) {
      return;
    }
    ObjectNode pod = found.get();
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
      // The scheduler's binding.
      Optional<ObjectNode> bound = store.modify(pods, ns, name, p -> {
        Json.child(p, "spec").put("nodeName", Kubelet.NODE_NAME);
        return p;
      });
      if (bound.isEmpty()) {
        return;
      }
      pod = bound.get();
    }
    WorkloadFailure failure = controller.failureFor(pod, 0);
    String ip = pod.path("status").path("podIP").asText("");
    if (ip.isEmpty()) {
      int n = nextPodIp.getAndIncrement();
      ip = "10.244." + (n / 254) + "." + (n % 254 + 1);
    }
    Kubelet.Sync sync = Kubelet.sync(pod, failure, ip, Instant.now());
    store.updateStatus(pods, ns, name, cur -> sync.status());
    if (sync.nextRestart() != null) {
      controller.schedule(new SimulatedController.Work("Pod", ns, name, null), sync.nextRestart());
    }
  }

  List<ObjectNode> allPods(String ns) {
    return store.list(pods, ns, o -> true).items();
  }
}
