package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/** Answers the paths that are not resources: version, health checks, the root listing, API discovery and OpenAPI stubs. */
final class DiscoveryRoutes {

  private static final String AGGREGATED_DISCOVERY = "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private final ApiResources resources;
  private final Supplier<URI> url;

  /** {@code url} is read per request: the server knows its port only once it listens. */
  DiscoveryRoutes(ApiResources resources, Supplier<URI> url) {
    this.resources = resources;
    this.url = url;
  }

  /**
   * Answers a path without a trailing slash when it is one of these.
   *
   * @return false when the path is not a discovery path (the caller routes it to resources)
   */
  boolean answer(HttpCall ex, String trimmed) {
    switch (trimmed) {
      case "/version" -> ex.sendJson(200, VersionInfo.document());
      case "/healthz", "/livez", "/readyz" -> ex.sendText(200, "ok");
      case "/" -> {
        ObjectNode root = Json.object();
        ArrayNode paths = root.putArray("paths");
        List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version")
            .forEach(paths::add);
        ex.sendJson(200, root);
      }
      case "/api", "/apis" -> {
        boolean core = "/api".equals(trimmed);
        if (String.valueOf(ex.header("Accept")).contains(AGGREGATED_DISCOVERY)) {
          // Aggregated discovery: client-go gets all groups in two requests instead of one per group version.
          ex.send(200, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
              Json.bytes(resources.aggregatedDiscovery(core)));
        } else {
          ex.sendJson(200, core ? resources.apiVersions(url.get().getAuthority()) : resources.apiGroupList());
        }
      }
      case "/openapi/v3" -> {
        // client-go only checks which group versions publish a schema; publishing none makes kubectl-style
        // validation fall back to "no schema" instead of failing the request.
        ObjectNode doc = Json.object();
        doc.putObject("paths");
        ex.sendJson(200, doc);
      }
      case "/openapi/v2" -> openApiV2(ex);
      default -> {
        return groupVersion(ex, trimmed);
      }
    }
    return true;
  }

  /** Helm validates manifests client-side with this schema (after finding no v3 paths). */
  private static void openApiV2(HttpCall ex) {
    // An empty document, in protobuf (zero bytes) or JSON, means "no schema for this kind", which skips validation.
    String accept = String.valueOf(ex.header("Accept"));
    if (accept.contains("protobuf")) {
      ex.send(200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", new byte[0]);
    } else {
      ObjectNode doc = Json.object();
      doc.put("swagger", "2.0");
      doc.putObject("info").put("title", "Kubernetes").put("version", VersionInfo.GIT_VERSION);
      doc.putObject("paths");
      doc.putObject("definitions");
      ex.sendJson(200, doc);
    }
  }

  /** {@code /apis/<group>}, {@code /api/<version>} and {@code /apis/<group>/<version>}. */
  private boolean groupVersion(HttpCall ex, String trimmed) {
    String[] segments = trimmed.substring(1).split("/");
    if (segments.length == 2 && "apis".equals(segments[0])) {
      ex.sendJson(200, resources.apiGroup(segments[1]).orElseThrow(ApiException::pathNotFound));
      return true;
    }
    if (segments.length == 2 && "api".equals(segments[0])) {
      ex.sendJson(200, resources.apiResourceList("", segments[1]).orElseThrow(ApiException::pathNotFound));
      return true;
    }
    if (segments.length == 3 && "apis".equals(segments[0])) {
      ex.sendJson(200, resources.apiResourceList(segments[1], segments[2]).orElseThrow(ApiException::pathNotFound));
      return true;
    }
    return false;
  }
}
