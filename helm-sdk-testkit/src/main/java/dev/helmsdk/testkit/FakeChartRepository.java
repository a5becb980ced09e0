package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.charts.FakeSources;
import dev.helmsdk.testkit.internal.tls.LocalPki;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake classic Helm chart repository for tests: {@code index.yaml} (each entry with what {@code helm repo index}
 * copies from the chart's {@code Chart.yaml}: appVersion, description, annotations) and chart archives served
 * over plain HTTP (or HTTPS, {@link Builder#tls()}) from a loopback port, optionally behind Basic
 * auth or a bearer token, with an
 * {@code ETag} on the index (answering {@code If-None-Match} with 304), a log of every request,
 * and switches to rotate credentials or simulate an outage. It implements only what a client of a
 * chart repository sees; it is not a server to run anything else against.
 *
 * <pre>{@code
 * try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
 *      FakeChartRepository repo = FakeChartRepository.builder()
 *         .chart(Path.of("charts/shop"))            // packaged with Helm, as it is
 *         .chart(Path.of("charts/shop"), "1.3.0")   // the same chart at another version
 *         .basicAuth("ci", "s3cret")
 *         .start()) {
 *   HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client())
 *       .chartSources(ChartSources.builder().plainHttp(repo.hostAndPort())
 *           .credentials(StaticCredentialProvider.of(repo.url(), new Credentials.BasicAuth("ci", "s3cret"))).build())
 *       .build();
 *   helm.install("shop").chart(ChartRef.repository(repo.url().toString(), "shop", "^1")).run();
 * }
 * }</pre>
 */
public final class FakeChartRepository implements AutoCloseable {

  /**
   * One request the fake received.
   *
   * @param method      HTTP method
   * @param path        request path
   * @param authScheme  the scheme of the {@code Authorization} header ({@code Basic}, {@code Bearer}), or empty
   * @param conditional whether it carried {@code If-None-Match} or {@code If-Modified-Since}
   * @param status      the status the fake answered
   * @param time        when it arrived
   */
  public record Request(String method, String path, String authScheme, boolean conditional, int status, Instant time) {
    /** Requires every component. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(authScheme, "authScheme");
      Objects.requireNonNull(time, "time");
    }
  }

  private final FakeSources.Server server;
  private final boolean tls;
  private final Map<String, byte[]> archives = new LinkedHashMap<>();
  private final byte[] index;
  private final String etag;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String expectedAuthorization;

  private FakeChartRepository(Builder b) {
    this.server = new FakeSources.Server("helm-sdk-fake-repo-");
    this.tls = b.tls;
    try {
      StringBuilder yaml = new StringBuilder("apiVersion: v1\nentries:\n");
      Map<String, List<String>> entriesByName = new LinkedHashMap<>();
      for (Path archive : b.charts.archives(server.dir())) {
        byte[] bytes = Files.readAllBytes(archive);
        String[] nameVersion = FakeSources.nameAndVersion(archive);
        archives.put("/" + archive.getFileName(), bytes);
        entriesByName.computeIfAbsent(nameVersion[0], k -> new ArrayList<>()).add(
            "  - apiVersion: v2\n    name: " + nameVersion[0] + "\n    version: " + nameVersion[1] + "\n"
                + FakeSources.chartMetadataLines(bytes, nameVersion[0]) + "    created: \""
                + Instant.now() + "\"\n    digest: " + FakeSources.sha256(bytes) + "\n    urls:\n    - " + archive.getFileName() + "\n");
      }
      entriesByName.forEach((name, entries) -> {
        yaml.append("  ").append(name).append(":\n");
        entries.forEach(yaml::append);
      });
      yaml.append("generated: \"").append(Instant.now()).append("\"\n");
      this.index = yaml.toString().getBytes(StandardCharsets.UTF_8);
      this.etag = "\"" + FakeSources.sha256(index).substring(0, 16) + "\"";
      this.expectedAuthorization = b.authorization;
      server.start("fake-chart-repository", this::handle, b.tls);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("cannot start the fake chart repository", e);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A builder for a repository with no charts and no authentication. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FakeChartRepository}. */
  public static final class Builder {
    private final FakeSources.ChartList charts = new FakeSources.ChartList();
    private boolean tls;
    private String authorization;

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

    /** Requires HTTP Basic authentication with these credentials. */
    public Builder basicAuth(String username, String password) {
      this.authorization = FakeSources.basic(username, password);
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>}. */
    public Builder bearerToken(String token) {
      this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
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
    public FakeChartRepository start() {
      return new FakeChartRepository(this);
    }
  }

  /**
   * Packages a chart directory with Helm into {@code destination}, with its version replaced by
   * {@code version} when that is not {@code null}; returns the archive.
   */
  public static Path packageChart(Path chartDirectory, String version, Path destination) {
    Objects.requireNonNull(chartDirectory, "chartDirectory");
    Objects.requireNonNull(destination, "destination");
    return FakeSources.packageChart(chartDirectory, version, destination);
  }

  /** The repository URL, e.g. {@code http://127.0.0.1:PORT/} ({@code https} with {@link Builder#tls()}). */
  public URI url() {
    return URI.create((tls ? "https" : "http") + "://" + hostAndPort() + "/");
  }

  /** The CA certificate (PEM) that signed the fake's TLS certificate, for {@code trustedCertificatesPem(..)}. */
  public String caCertificatePem() {
    return dev.helmsdk.testkit.internal.tls.LocalPki.shared().caPem();
  }

  /** {@code 127.0.0.1:PORT}, as {@code ChartSources.builder().plainHttp(..)} takes it (plain-HTTP fakes). */
  public String hostAndPort() {
    return server.hostAndPort();
  }

  /** Every request received, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** Rotates to Basic authentication with these credentials; takes effect for the next request. */
  public void setBasicAuth(String username, String password) {
    expectedAuthorization = FakeSources.basic(username, password);
  }

  /** Rotates to this bearer token; takes effect for the next request. */
  public void setBearerToken(String token) {
    expectedAuthorization = "Bearer " + Objects.requireNonNull(token, "token");
  }

  /** Answers every request with {@code status} (e.g. 503) until {@link #endOutage()}. */
  public void startOutage(int status) {
    server.startOutage(status);
  }

  /** Serves normally again. */
  public void endOutage() {
    server.endOutage();
  }

  private volatile boolean truncateArchives;

  /**
   * Whether chart archives are served cut to their first half (a download broken off, a proxy that truncates), with
   * the index unchanged: what a client must refuse. Default {@code false}.
   */
  public void serveTruncatedArchives(boolean truncated) {
    this.truncateArchives = truncated;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      boolean conditional = ex.getRequestHeaders().containsKey("If-None-Match") || ex.getRequestHeaders().containsKey("If-Modified-Since");
      int status;
      byte[] body = null;
      if (server.outageStatus() != 0) {
        status = server.outageStatus();
      } else if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
        status = 401;
        ex.getResponseHeaders().add("WWW-Authenticate", expectedAuthorization.startsWith("Basic") ? "Basic realm=\"fake\"" : "Bearer realm=\"fake\"");
      } else if (path.equals("/index.yaml")) {
        ex.getResponseHeaders().add("ETag", etag);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
          status = 304;
        } else {
          status = 200;
          body = index;
        }
      } else {
        body = archives.get(path);
        status = body == null ? 404 : 200;
        if (body != null && truncateArchives) {
          body = java.util.Arrays.copyOf(body, body.length / 2);
        }
      }
      requests.add(new Request(ex.getRequestMethod(), path, auth == null ? "" : auth.split(" ", 2)[0], conditional, status, Instant.now()));
      ex.sendResponseHeaders(status, body == null ? -1 : body.length);
      if (body != null) {
        ex.getResponseBody().write(body);
      }
    }
  }

  /** Stops serving and deletes the packaged charts. */
  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "FakeChartRepository[" + url() + ", charts=" + archives.keySet() + ", auth="
        + (expectedAuthorization == null ? "none" : expectedAuthorization.split(" ")[0]) + "]";
  }
}
