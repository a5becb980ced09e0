package dev.helmsdk.testkit.internal.controlplane;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command lines of the control plane's components, as {@code controlplane/README.md} gives them. */
final class ComponentCommands {

  private final ControlPlaneBinaries.Binaries binaries;
  private final WorkDirectory dirs;
  private final ComponentPorts ports;

  ComponentCommands(ControlPlaneBinaries.Binaries binaries, WorkDirectory dirs, ComponentPorts ports) {
    this.binaries = binaries;
    this.dirs = dirs;
    this.ports = ports;
  }

  List<String> etcd() {
    String client = "http://127.0.0.1:" + ports.etcd();
    String peer = "http://127.0.0.1:" + ports.etcdPeer();
    List<String> cmd = new ArrayList<>(List.of(binaries.binary("etcd").toString(),
        "--data-dir=" + dirs.root().resolve("etcd"),
        "--listen-client-urls=" + client,
        "--listen-peer-urls=" + peer));
    if (!binaries.multiCall()) {
      // Upstream etcd (envtest): these are required or checked; the k8s-testenv etcd derives them.
      cmd.add("--advertise-client-urls=" + client);
      cmd.add("--initial-advertise-peer-urls=" + peer);
      cmd.add("--initial-cluster=default=" + peer);
    }
    return cmd;
  }

  List<String> apiserver() {
    Path pki = dirs.pki();
    List<String> cmd = new ArrayList<>(List.of(binaries.binary("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + ports.etcd(),
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + ports.api(),
        "--cert-dir=" + dirs.root().resolve("apiserver"),
        "--tls-cert-file=" + pki.resolve("apiserver.crt"),
        "--tls-private-key-file=" + pki.resolve("apiserver.key"),
        "--client-ca-file=" + pki.resolve("ca.crt"),
        "--requestheader-client-ca-file=" + pki.resolve("front-proxy-ca.crt"),
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + pki.resolve("front-proxy-client.crt"),
        "--proxy-client-key-file=" + pki.resolve("front-proxy-client.key"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + pki.resolve("sa.pub"),
        "--service-account-signing-key-file=" + pki.resolve("sa.key"),
        "--service-cluster-ip-range=10.96.0.0/12",
        "--endpoint-reconciler-type=none",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction,ResourceQuota",
        "--allow-privileged=true",
        "--profiling=false",
        "--audit-policy-file=" + dirs.auditPolicy(),
        "--audit-log-path=" + dirs.auditLog(),
        "--audit-log-format=json",
        // Written from the request's handler, before the response ends: what a client has seen is in the log.
        "--audit-log-mode=blocking"));
    if (!binaries.full()) {
      // No controller-manager creates the namespaces' default ServiceAccount; without this every pod is
      // rejected ("serviceaccount default not found"). envtest does the same.
      cmd.add("--disable-admission-plugins=ServiceAccount");
    }
    return cmd;
  }

  List<String> controllerManager() {
    Path pki = dirs.pki();
    List<String> cmd = clientComponent("kube-controller-manager", ports.controllerManager(), "controller-manager");
    cmd.addAll(List.of(
        "--controllers=*",
        "--use-service-account-credentials=true",
        "--root-ca-file=" + pki.resolve("ca.crt"),
        "--service-account-private-key-file=" + pki.resolve("sa.key"),
        "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
        "--cluster-signing-key-file=" + pki.resolve("ca.key"),
        "--service-cluster-ip-range=10.96.0.0/12",
        "--leader-elect=false",
        "--kube-api-qps=100", "--kube-api-burst=200",
        "--profiling=false"));
    return cmd;
  }

  List<String> scheduler() {
    List<String> cmd = clientComponent("kube-scheduler", ports.scheduler(), "scheduler");
    cmd.addAll(List.of(
        "--leader-elect=false",
        "--profiling=false"));
    return cmd;
  }

  /** The flags the controller-manager and the scheduler share: their kubeconfig for everything, port, cert dir. */
  private List<String> clientComponent(String binary, int port, String certDir) {
    String kubeconfig = dirs.pki().resolve(binary + ".kubeconfig").toString();
    return new ArrayList<>(List.of(binaries.binary(binary).toString(),
        "--kubeconfig=" + kubeconfig,
        "--authentication-kubeconfig=" + kubeconfig,
        "--authorization-kubeconfig=" + kubeconfig,
        "--bind-address=127.0.0.1", "--secure-port=" + port,
        "--cert-dir=" + dirs.root().resolve(certDir)));
  }

  /** KWOK managing only the node annotated as fake, with the given stage files (none: its defaults). */
  List<String> kwok(List<String> stageFiles) {
    List<String> cmd = new ArrayList<>(List.of(binaries.binary("kwok").toString(),
        "--kubeconfig=" + dirs.pki().resolve("kwok.kubeconfig"),
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        "--node-lease-duration-seconds=40",
        "--cidr=10.244.0.0/16",
        "--node-ip=10.240.0.1"));
    if (!stageFiles.isEmpty()) {
      cmd.add("--config=" + String.join(",", stageFiles));
    }
    return cmd;
  }
}
