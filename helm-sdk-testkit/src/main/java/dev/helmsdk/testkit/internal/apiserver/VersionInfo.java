package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The {@code /version} document. Charts check {@code kubeVersion} constraints against it. */
final class VersionInfo {

  static final String GIT_VERSION = "v1.35.0";

  private VersionInfo() {
  }

  static ObjectNode document() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "35");
    v.put("emulationMajor", "1");
    v.put("emulationMinor", "35");
    v.put("minCompatibilityMajor", "1");
    v.put("minCompatibilityMinor", "34");
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-12-17T00:00:00Z");
    v.put("goVersion", "go1.25.5");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }
}
