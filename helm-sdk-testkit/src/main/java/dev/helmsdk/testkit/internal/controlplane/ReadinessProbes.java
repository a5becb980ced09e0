package dev.helmsdk.testkit.internal.controlplane;

import dev.helmsdk.testkit.internal.tls.LocalPki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The start's checks against the API server, as the testkit's own identity ({@link LocalPki#TESTKIT}, left out of the
 * recorded requests): {@code /readyz}, creating KWOK's node, the node Ready, the default ServiceAccount.
 */
final class ReadinessProbes {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String NODE_NAME = ControlPlaneRuntime.NODE_NAME;
  private static final String NODE_JSON = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{"
      + "\"name\":\"" + NODE_NAME + "\","
      + "\"annotations\":{\"kwok.x-k8s.io/node\":\"fake\",\"node.alpha.kubernetes.io/ttl\":\"0\"},"
      + "\"labels\":{\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/os\":\"linux\","
      + "\"kubernetes.io/hostname\":\"" + NODE_NAME + "\",\"kubernetes.io/role\":\"agent\","
      + "\"node-role.kubernetes.io/agent\":\"\",\"type\":\"kwok\"}},"
      + "\"status\":{\"allocatable\":{\"cpu\":\"32\",\"memory\":\"256Gi\",\"pods\":\"110\"},"
      + "\"capacity\":{\"cpu\":\"32\",\"memory\":\"256Gi\",\"pods\":\"110\"}}}";

  private final URI url;
  private final HttpClient http;

  ReadinessProbes(URI url, LocalPki pki) {
    this.url = url;
    this.http = HttpClient.newBuilder()
        .sslContext(pki.sslContext(LocalPki.TESTKIT))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  boolean apiserverReady() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/readyz");
    return r.statusCode() == 200 && "ok".equals(r.body().trim());
  }

  /** Creates the node KWOK manages; true when it exists. */
  boolean createNode() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/nodes"))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(NODE_JSON)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 201 || r.statusCode() == 409) {
      return true;
    }
    throw new IOException("POST /api/v1/nodes: HTTP " + r.statusCode() + ": " + r.body());
  }

  /** The node is Ready and no longer has the not-ready taint (the scheduler avoids it until then). */
  boolean nodeReady() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/nodes/" + NODE_NAME);
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode node = MAPPER.readTree(r.body());
    boolean ready = false;
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        ready = true;
      }
    }
    for (JsonNode taint : node.path("spec").path("taints")) {
      if ("node.kubernetes.io/not-ready".equals(taint.path("key").asText())) {
        return false;
      }
    }
    return ready;
  }

  boolean defaultServiceAccountExists() throws IOException, InterruptedException {
    return get("/api/v1/namespaces/default/serviceaccounts/default").statusCode() == 200;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
