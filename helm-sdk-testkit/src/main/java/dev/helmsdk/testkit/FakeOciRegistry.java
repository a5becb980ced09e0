package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.charts.FakeSources;
import dev.helmsdk.testkit.internal.tls.LocalPki;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake OCI registry holding Helm charts, for tests of code that installs from {@code oci://}:
 * the read side of the OCI Distribution API that Helm and the SDK use ({@code /v2/}, paginated
 * {@code tags/list}, manifests by tag or digest, blobs), with Helm's media types, optionally behind
 * Basic auth or the registry token flow (a {@code Bearer} challenge naming a token endpoint on the
 * same port that trades Basic credentials for a short opaque token). Plain HTTP on loopback, or
 * HTTPS with {@link Builder#tls()}.
 * It implements what a client pulling charts sees; there is no push and nothing else of a registry.
 *
 * <pre>{@code
 * try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
 *      FakeOciRegistry registry = FakeOciRegistry.builder()
 *         .chart(Path.of("charts/shop"), "1.2.0").chart(Path.of("charts/shop"), "1.3.0")
 *         .tokenAuth("robot", "s3cret").start()) {
 *   HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client())
 *       .chartSources(ChartSources.builder().plainHttp(registry.hostAndPort())
 *           .credentials(StaticCredentialProvider.of(registry.url(), new Credentials.BasicAuth("robot", "s3cret"))).build())
 *       .build();
 *   helm.install("shop").chart(ChartRef.oci(registry.url() + "/shop", "~1.2")).run();
 * }
 * }</pre>
 */
public final class FakeOciRegistry implements AutoCloseable {

  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json";
  static final String LAYER_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

  /**
   * One request the fake received.
   *
   * @param method     HTTP method
   * @param path       request path (with the query for tag lists)
   * @param authScheme the scheme of the {@code Authorization} header ({@code Basic}, {@code Bearer}), or empty
   * @param status     the status the fake answered
   * @param time       when it arrived
   */
  public record Request(String method, String path, String authScheme, int status, Instant time) {
    /** Requires every component. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(authScheme, "authScheme");
      Objects.requireNonNull(time, "time");
    }
  }

  private enum Auth { NONE, BASIC, TOKEN }

  private final FakeSources.Server server;
  private final boolean tls;
  private final Auth auth;
  private final int pageSize;
  /** repository ("charts/shop") -> tag -> manifest digest. */
  private final Map<String, Map<String, String>> tags = new LinkedHashMap<>();
  /** digest ("sha256:...") -> content, for manifests and blobs alike. */
  private final Map<String, byte[]> content = new LinkedHashMap<>();
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String expectedLogin;

  private FakeOciRegistry(Builder b) {
    this.server = new FakeSources.Server("helm-sdk-fake-oci-");
    this.tls = b.tls;
    this.auth = b.auth;
    this.pageSize = b.pageSize;
    this.expectedLogin = b.login;
    try {
      for (Path archive : b.charts.archives(server.dir())) {
        add(archive);
      }
      server.start("fake-oci-registry", this::handle, b.tls);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("cannot start the fake OCI registry", e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Stores an archive as Helm's push does: config blob, chart layer, manifest tagged with the version ('+' as '_'). */
  private void add(Path archive) throws IOException {
    String[] nameVersion = FakeSources.nameAndVersion(archive);
    byte[] layer = Files.readAllBytes(archive);
    byte[] config = ("{\"name\":\"" + nameVersion[0] + "\",\"version\":\"" + nameVersion[1] + "\",\"apiVersion\":\"v2\"}")
        .getBytes(StandardCharsets.UTF_8);
    String layerDigest = "sha256:" + FakeSources.sha256(layer);
    String configDigest = "sha256:" + FakeSources.sha256(config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\"" + CONFIG_TYPE
        + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + LAYER_TYPE
        + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}],\"annotations\":{\"org.opencontainers.image.title\":\""
        + nameVersion[0] + "\",\"org.opencontainers.image.version\":\"" + nameVersion[1] + "\"}}").getBytes(StandardCharsets.UTF_8);
    String manifestDigest = "sha256:" + FakeSources.sha256(manifest);
    content.put(layerDigest, layer);
    content.put(configDigest, config);
    content.put(manifestDigest, manifest);
    tags.computeIfAbsent("charts/" + nameVersion[0], k -> new LinkedHashMap<>()).put(nameVersion[1].replace('+', '_'), manifestDigest);
  }

  /** A builder for a registry with no charts and no authentication. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FakeOciRegistry}; charts go under the repository {@code charts/<name>}. */
  public static final class Builder {
    private final FakeSources.ChartList charts = new FakeSources.ChartList();
    private boolean tls;
    private Auth auth = Auth.NONE;
    private String login;
    private int pageSize = 100;

    private Builder() {}

    /** Serves the chart in this directory (packaged with Helm when started) or this {@code .tgz}. */
    public Builder chart(Path chart) {
      charts.add(chart);
      return this;
    }

    /** Serves the chart in this directory at {@code version} (its Chart.yaml's version replaced). */
    public Builder chart(Path chartDirectory, String version) {
      charts.add(chartDirectory, version);
      return this;
    }

    /** Requires HTTP Basic authentication on every registry request (docker-registry's htpasswd mode). */
    public Builder basicAuth(String username, String password) {
      this.auth = Auth.BASIC;
      this.login = FakeSources.basic(username, password);
      return this;
    }

    /** Requires a token from the registry's token endpoint, which takes these Basic credentials (docker's token auth). */
    public Builder tokenAuth(String username, String password) {
      this.auth = Auth.TOKEN;
      this.login = FakeSources.basic(username, password);
      return this;
    }

    /** Tags per page of {@code tags/list} when the client does not ask for fewer (default 100); pages are linked with {@code Link}. */
    public Builder tagPageSize(int tags) {
      if (tags < 1) {
        throw new IllegalArgumentException("page size must be at least 1, was " + tags);
      }
      this.pageSize = tags;
      return this;
    }

    /**
     * Serves over HTTPS with a certificate for 127.0.0.1 and localhost signed by the testkit CA
     * ({@link #caCertificatePem()} on the started fake); plain HTTP otherwise.
     */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** Packages the charts and starts serving on a free loopback port. */
    public FakeOciRegistry start() {
      return new FakeOciRegistry(this);
    }
  }

  /** {@code oci://127.0.0.1:PORT/charts}: a chart is at {@code url() + "/" + name}. */
  public URI url() {
    return URI.create("oci://" + hostAndPort() + "/charts");
  }

  /** The CA certificate (PEM) that signed the fake's TLS certificate, for {@code trustedCertificatesPem(..)}. */
  public String caCertificatePem() {
    return dev.helmsdk.testkit.internal.tls.LocalPki.shared().caPem();
  }

  /** {@code 127.0.0.1:PORT}, as {@code ChartSources.builder().plainHttp(..)} takes it (plain-HTTP fakes). */
  public String hostAndPort() {
    return server.hostAndPort();
  }

  /** The manifest digest ({@code sha256:...}) of a chart version, for digest-pinned references. */
  public String manifestDigest(String chart, String version) {
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(version, "version");
    Map<String, String> t = tags.getOrDefault("charts/" + chart, Map.of());
    String digest = t.get(version.replace('+', '_'));
    if (digest == null) {
      throw new IllegalArgumentException("no chart " + chart + " " + version + " here; tags: " + t.keySet());
    }
    return digest;
  }

  /** Every request received, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** Rotates the accepted credentials (Basic or token-endpoint login); issued tokens are revoked. */
  public void setCredentials(String username, String password) {
    expectedLogin = FakeSources.basic(username, password);
    issuedTokens.clear();
  }

  /** Answers every request with {@code status} (e.g. 503) until {@link #endOutage()}. */
  public void startOutage(int status) {
    server.startOutage(status);
  }

  /** Serves normally again. */
  public void endOutage() {
    server.endOutage();
  }

  private volatile boolean truncateBlobs;
  private volatile boolean tamperManifests;

  /** Whether blobs (chart layers, configs) are served cut to their first half, as a broken-off download. Default {@code false}. */
  public void serveTruncatedBlobs(boolean truncated) {
    this.truncateBlobs = truncated;
  }

  /**
   * Whether manifests are served changed (a byte added) under their old {@code Docker-Content-Digest} and tag, so their
   * content no longer has the digest they are asked for or announced with. Default {@code false}.
   */
  public void serveTamperedManifests(boolean tampered) {
    this.tamperManifests = tampered;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      int status;
      byte[] body = null;
      if (server.outageStatus() != 0) {
        status = server.outageStatus();
      } else if (path.equals("/token")) {
        if (auth == Auth.TOKEN && Objects.equals(expectedLogin, authorization)) {
          String token = "fake-" + UUID.randomUUID();
          issuedTokens.add(token);
          body = ("{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          status = 200;
        } else {
          status = 401;
        }
      } else if (!authorized(authorization)) {
        status = 401;
        ex.getResponseHeaders().add("WWW-Authenticate", auth == Auth.BASIC ? "Basic realm=\"fake-oci-registry\""
            : "Bearer realm=\"" + (tls ? "https" : "http") + "://" + hostAndPort() + "/token\",service=\"fake-oci-registry\",scope=\"" + scope(path) + "\"");
      } else {
        ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        int[] result = {404};
        body = serve(ex, path, query, result);
        status = result[0];
      }
      String scheme = authorization == null ? "" : authorization.split(" ", 2)[0];
      requests.add(new Request(ex.getRequestMethod(), path + (query == null ? "" : "?" + query), scheme, status, Instant.now()));
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, body == null || head ? -1 : body.length);
      if (body != null && !head) {
        ex.getResponseBody().write(body);
      }
    }
  }

  private boolean authorized(String authorization) {
    return switch (auth) {
      case NONE -> true;
      case BASIC -> Objects.equals(expectedLogin, authorization);
      case TOKEN -> authorization != null && authorization.startsWith("Bearer ") && issuedTokens.contains(authorization.substring(7));
    };
  }

  private static String scope(String path) {
    int tagsAt = path.indexOf("/tags/");
    int manifestsAt = path.indexOf("/manifests/");
    int blobsAt = path.indexOf("/blobs/");
    int end = tagsAt > 0 ? tagsAt : manifestsAt > 0 ? manifestsAt : blobsAt;
    return end > 4 ? "repository:" + path.substring(4, end) + ":pull" : "registry:catalog:*";
  }

  private byte[] serve(HttpExchange ex, String path, String query, int[] status) {
    if (path.equals("/v2/") || path.equals("/v2")) {
      status[0] = 200;
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    int tagsAt = path.indexOf("/tags/list");
    if (path.startsWith("/v2/") && tagsAt > 0) {
      String repository = path.substring(4, tagsAt);
      Map<String, String> t = tags.get(repository);
      if (t == null) {
        return null;
      }
      Map<String, String> q = queryParams(query);
      int n = q.containsKey("n") ? Math.max(1, Math.min(pageSize, Integer.parseInt(q.get("n")))) : pageSize;
      List<String> sorted = t.keySet().stream().sorted().toList();
      String last = q.get("last");
      List<String> after = last == null ? sorted : sorted.stream().filter(x -> x.compareTo(last) > 0).toList();
      List<String> page = after.subList(0, Math.min(n, after.size()));
      if (after.size() > page.size()) {
        ex.getResponseHeaders().add("Link", "</v2/" + repository + "/tags/list?n=" + n + "&last=" + page.get(page.size() - 1) + ">; rel=\"next\"");
      }
      status[0] = 200;
      ex.getResponseHeaders().add("Content-Type", "application/json");
      return ("{\"name\":\"" + repository + "\",\"tags\":[" + String.join(",", page.stream().map(x -> "\"" + x + "\"").toList()) + "]}")
          .getBytes(StandardCharsets.UTF_8);
    }
    int manifestsAt = path.indexOf("/manifests/");
    if (path.startsWith("/v2/") && manifestsAt > 0) {
      String repository = path.substring(4, manifestsAt);
      String reference = path.substring(manifestsAt + "/manifests/".length());
      String digest = reference.startsWith("sha256:") ? reference : tags.getOrDefault(repository, Map.of()).get(reference);
      byte[] manifest = digest == null ? null : content.get(digest);
      if (manifest == null || !tags.containsKey(repository)) {
        return null;
      }
      status[0] = 200;
      ex.getResponseHeaders().add("Content-Type", MANIFEST_TYPE);
      ex.getResponseHeaders().add("Docker-Content-Digest", digest);
      // A changed manifest under its old digest: still valid JSON, only its digest tells.
      return tamperManifests ? (new String(manifest, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8) : manifest;
    }
    int blobsAt = path.indexOf("/blobs/");
    if (path.startsWith("/v2/") && blobsAt > 0 && tags.containsKey(path.substring(4, blobsAt))) {
      byte[] blob = content.get(path.substring(blobsAt + "/blobs/".length()));
      if (blob != null) {
        status[0] = 200;
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        if (truncateBlobs) {
          blob = java.util.Arrays.copyOf(blob, blob.length / 2);
        }
      }
      return blob;
    }
    return null;
  }

  private static Map<String, String> queryParams(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query != null) {
      for (String kv : query.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /** Stops serving and deletes the packaged charts. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "FakeOciRegistry[" + url() + ", repositories=" + tags.keySet() + ", auth=" + auth + "]";
  }
}
