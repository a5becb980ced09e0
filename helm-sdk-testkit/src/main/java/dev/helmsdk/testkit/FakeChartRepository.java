package dev.helmsdk.testkit;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake classic Helm chart repository for tests: {@code index.yaml} and chart archives served
 * over plain HTTP from a loopback port, optionally behind Basic auth or a bearer token, with an
 * {@code ETag} on the index (answering {@code If-None-Match} with 304), a log of every request,
 * and switches to rotate credentials or simulate an outage. It implements only what a client of a
 * chart repository sees; it is not a server to run anything else against.
 *
 * <pre>{@code
 * try (FakeChartRepository repo = FakeChartRepository.builder()
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
  public record Request(String method, String path, String authScheme, boolean conditional, int status, Instant time) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path dir;
  private final Map<String, byte[]> archives;
  private final byte[] index;
  private final String etag;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String expectedAuthorization;
  private volatile int outageStatus;

  private FakeChartRepository(Builder b) throws IOException {
    this.dir = Files.createTempDirectory("helm-sdk-fake-repo-");
    try {
      this.archives = new LinkedHashMap<>();
      StringBuilder yaml = new StringBuilder("apiVersion: v1\nentries:\n");
      Map<String, List<String>> entriesByName = new LinkedHashMap<>();
      for (Builder.ChartSpec c : b.charts) {
        Path archive = c.archive != null ? c.archive : packageChart(c.directory, c.version, dir.resolve("pkg"));
        byte[] bytes = Files.readAllBytes(archive);
        String[] nameVersion = nameAndVersion(archive.getFileName().toString());
        archives.put("/" + archive.getFileName(), bytes);
        entriesByName.computeIfAbsent(nameVersion[0], k -> new ArrayList<>()).add(
            "  - apiVersion: v2\n    name: " + nameVersion[0] + "\n    version: " + nameVersion[1] + "\n    created: \""
                + Instant.now() + "\"\n    digest: " + sha256(bytes) + "\n    urls:\n    - " + archive.getFileName() + "\n");
      }
      entriesByName.forEach((name, entries) -> {
        yaml.append("  ").append(name).append(":\n");
        entries.forEach(yaml::append);
      });
      yaml.append("generated: \"").append(Instant.now()).append("\"\n");
      this.index = yaml.toString().getBytes(StandardCharsets.UTF_8);
      this.etag = "\"" + sha256(index).substring(0, 16) + "\"";
      this.expectedAuthorization = b.authorization;
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      this.executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "fake-chart-repository");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** A builder for a repository with no charts and no authentication. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FakeChartRepository}. */
  public static final class Builder {
    private record ChartSpec(Path directory, String version, Path archive) {}

    private final List<ChartSpec> charts = new ArrayList<>();
    private String authorization;

    private Builder() {}

    /** Serves the chart in this directory (packaged with Helm when started) or this {@code .tgz}. */
    public Builder chart(Path chart) {
      Objects.requireNonNull(chart, "chart");
      charts.add(Files.isRegularFile(chart) ? new ChartSpec(null, null, chart) : new ChartSpec(chart, null, null));
      return this;
    }

    /** Serves the chart in this directory at {@code version} (its Chart.yaml's version replaced). */
    public Builder chart(Path chartDirectory, String version) {
      charts.add(new ChartSpec(Objects.requireNonNull(chartDirectory, "chartDirectory"), Objects.requireNonNull(version, "version"), null));
      return this;
    }

    /** Requires HTTP Basic authentication with these credentials. */
    public Builder basicAuth(String username, String password) {
      this.authorization = basic(username, password);
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>}. */
    public Builder bearerToken(String token) {
      this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
      return this;
    }

    /** Packages the charts and starts serving on a free loopback port. */
    public FakeChartRepository start() {
      try {
        return new FakeChartRepository(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake chart repository", e);
      }
    }
  }

  /**
   * Packages a chart directory with Helm into {@code destination}, with its version replaced by
   * {@code version} when that is not {@code null}; returns the archive.
   */
  public static Path packageChart(Path chartDirectory, String version, Path destination) {
    try {
      Files.createDirectories(destination);
      Path source = chartDirectory;
      if (version != null) {
        source = destination.resolve("src-" + version).resolve(chartDirectory.getFileName().toString());
        copyTree(chartDirectory, source);
        Path chartYaml = source.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml).replaceFirst("(?m)^version:.*$", "version: " + version));
      }
      List<Path> before;
      try (var files = Files.list(destination)) {
        before = files.toList();
      }
      new Helm(source).packageIt().withDestination(destination).call();
      try (var files = Files.list(destination)) {
        return files.filter(f -> f.toString().endsWith(".tgz") && !before.contains(f)).findFirst()
            .orElseThrow(() -> new IllegalStateException("helm package wrote no archive into " + destination));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository URL, e.g. {@code http://127.0.0.1:PORT/}. */
  public URI url() {
    return URI.create("http://" + hostAndPort() + "/");
  }

  /** {@code 127.0.0.1:PORT}, as {@code ChartSources.builder().plainHttp(..)} takes it. */
  public String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
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
    expectedAuthorization = basic(username, password);
  }

  /** Rotates to this bearer token; takes effect for the next request. */
  public void setBearerToken(String token) {
    expectedAuthorization = "Bearer " + Objects.requireNonNull(token, "token");
  }

  /** Answers every request with {@code status} (e.g. 503) until {@link #endOutage()}. */
  public void startOutage(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an outage answers 4xx or 5xx, not " + status);
    }
    outageStatus = status;
  }

  /** Serves normally again. */
  public void endOutage() {
    outageStatus = 0;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      boolean conditional = ex.getRequestHeaders().containsKey("If-None-Match") || ex.getRequestHeaders().containsKey("If-Modified-Since");
      int status;
      byte[] body = null;
      if (outageStatus != 0) {
        status = outageStatus;
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
      }
      requests.add(new Request(ex.getRequestMethod(), path, auth == null ? "" : auth.split(" ", 2)[0], conditional, status, Instant.now()));
      ex.sendResponseHeaders(status, body == null ? -1 : body.length);
      if (body != null) {
        ex.getResponseBody().write(body);
      }
    }
  }

  private static final Pattern ARCHIVE = Pattern.compile("(.+)-(\\d+\\.\\d+\\.\\d+.*)\\.tgz");

  private static String[] nameAndVersion(String fileName) {
    Matcher m = ARCHIVE.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException("chart archive name must be <name>-<version>.tgz, was " + fileName);
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private static String basic(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp directory
    }
  }

  /** Stops serving and deletes the packaged charts. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    deleteTree(dir);
  }

  @Override
  public String toString() {
    return "FakeChartRepository[" + url() + ", charts=" + archives.keySet() + ", auth="
        + (expectedAuthorization == null ? "none" : expectedAuthorization.split(" ")[0]) + "]";
  }
}
