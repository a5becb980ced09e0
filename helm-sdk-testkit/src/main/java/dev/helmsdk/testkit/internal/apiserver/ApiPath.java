package dev.helmsdk.testkit.internal.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed resource request path: {@code /api/v1/namespaces/ns/pods/name/status} or
 * {@code /apis/apps/v1/deployments}. The legacy {@code /watch/} prefix form is recognised too.
 */
record ApiPath(String group, String version, String namespace, String resource, String name, String subresource,
    boolean legacyWatch) {

  /** Parses a raw (still URL-encoded) path; null when it is not a resource path. */
  static ApiPath parse(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    int i;
    String group;
    String version;
    if (segments.size() >= 2 && "api".equals(segments.get(0))) {
      group = "";
      version = segments.get(1);
      i = 2;
    } else if (segments.size() >= 3 && "apis".equals(segments.get(0))) {
      group = segments.get(1);
      version = segments.get(2);
      i = 3;
    } else {
      return null;
    }
    boolean watch = false;
    if (i < segments.size() && "watch".equals(segments.get(i))) {
      watch = true;
      i++;
    }
    List<String> rest = segments.subList(i, segments.size());
    String namespace = null;
    boolean namespaceSubresource = rest.size() == 3 && group.isEmpty()
        && ("status".equals(rest.get(2)) || "finalize".equals(rest.get(2)));
    if (rest.size() >= 3 && "namespaces".equals(rest.get(0)) && !namespaceSubresource) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return null;
    }
    return new ApiPath(group, version, namespace, rest.get(0), rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null, watch);
  }
}
