package dev.helmsdk.testkit.internal.controlplane;

import dev.helmsdk.testkit.internal.tls.LocalPki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A control plane's work directory: its layout, the files written before the start (PKI, audit policy), its removal. */
final class WorkDirectory {

  /** Subdirectories the control plane creates; removed at start in a reused work directory. */
  private static final List<String> OWN_DIRS = List.of("pki", "etcd", "apiserver", "controller-manager",
      "scheduler", "kwok", "home", "logs");
  private static final String AUDIT_POLICY = "apiVersion: audit.k8s.io/v1\n"
      + "kind: Policy\n"
      + "# Every request at level Metadata (who, verb, URI, status; no bodies). RequestReceived is omitted:\n"
      + "# each request is counted from its ResponseComplete (or, for watches, ResponseStarted) event.\n"
      + "omitStages:\n"
      + "- RequestReceived\n"
      + "rules:\n"
      + "- level: Metadata\n";

  private final Path root;
  private final boolean owned;

  /** {@code owned}: created for this control plane, deleted on close; otherwise only its own subdirectories are reset. */
  WorkDirectory(Path root, boolean owned) {
    this.root = root;
    this.owned = owned;
  }

  Path root() {
    return root;
  }

  boolean owned() {
    return owned;
  }

  Path pki() {
    return root.resolve("pki");
  }

  Path logs() {
    return root.resolve("logs");
  }

  Path auditPolicy() {
    return root.resolve("audit-policy.yaml");
  }

  Path auditLog() {
    return logs().resolve("audit.log");
  }

  /** Creates the layout afresh and writes the key material (kubeconfigs for {@code server}) and the audit policy. */
  void prepare(LocalPki pki, URI server) throws IOException {
    Files.createDirectories(root);
    if (!owned) {
      for (String d : OWN_DIRS) {
        dev.helmsdk.testkit.internal.Directories.deleteQuietly(root.resolve(d));
      }
    }
    for (String d : OWN_DIRS) {
      Files.createDirectories(root.resolve(d));
    }
    Files.createDirectories(root.resolve("home/.kube/cache"));
    pki.writeTo(pki(), server);
    Files.writeString(auditPolicy(), AUDIT_POLICY, StandardCharsets.UTF_8);
  }

  /**
   * The environment of every component: {@code HOME} and the kube cache inside this directory, no inherited
   * {@code KUBECONFIG}, and (the k8s-testenv build) exit when the JVM dies.
   */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("K8S_TESTENV_EXIT_WITH_PARENT", "1");
    env.put("HOME", root.resolve("home").toString());
    env.put("KUBECACHEDIR", root.resolve("home/.kube/cache").toString());
    env.put("KUBECONFIG", null);
    return env;
  }

  /** Deletes the whole directory when owned. */
  void deleteIfOwned() {
    if (owned) {
      dev.helmsdk.testkit.internal.Directories.deleteQuietly(root);
    }
  }

}
