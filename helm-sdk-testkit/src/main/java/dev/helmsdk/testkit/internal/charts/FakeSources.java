package dev.helmsdk.testkit.internal.charts;

import dev.helmsdk.testkit.internal.tls.LocalPki;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the fake chart sources share: packaging charts, digests, auth headers, temp directories. */
public final class FakeSources {

  private static final Pattern ARCHIVE = Pattern.compile("(.+)-(\\d+\\.\\d+\\.\\d+.*)\\.tgz");

  private FakeSources() {}

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
      dev.helmsdk.core.internal.NativeHelm.prepare();   // JNA's stub under java.io.tmpdir, not ~/.cache
      new Helm(source).packageIt().withDestination(destination).call();
      try (var files = Files.list(destination)) {
        return files.filter(f -> f.toString().endsWith(".tgz") && !before.contains(f)).findFirst()
            .orElseThrow(() -> new IllegalStateException("helm package wrote no archive into " + destination));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code [name, version]} of an archive named {@code <name>-<version>.tgz}, as Helm names them. */
  public static String[] nameAndVersion(Path archive) {
    String fileName = archive.getFileName().toString();
    Matcher m = ARCHIVE.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException("chart archive name must be <name>-<version>.tgz, was " + fileName);
    }
    return new String[] {m.group(1), m.group(2)};
  }

  /**
   * What {@code helm repo index} copies from an archive's {@code Chart.yaml} into its index entry besides name and
   * version ({@code appVersion}, {@code description}, {@code annotations}, ...), as index YAML lines indented for an
   * entry; empty when the archive has no readable {@code <name>/Chart.yaml}. JSON is YAML, so values are written as JSON.
   */
  public static String chartMetadataLines(byte[] archive, String name) {
    Map<String, Object> meta = chartYaml(archive, name);
    StringBuilder lines = new StringBuilder();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (Map.Entry<String, Object> e : meta.entrySet()) {
      if (List.of("apiVersion", "name", "version").contains(e.getKey()) || e.getValue() == null) {
        continue;
      }
      try {
        lines.append("    ").append(e.getKey()).append(": ").append(json.writeValueAsString(e.getValue())).append('\n');
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException("cannot write " + e.getKey() + " of " + name + "'s Chart.yaml", ex);
      }
    }
    return lines.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> chartYaml(byte[] archive, String name) {
    try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(archive)))) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(name + "/Chart.yaml")) {
          org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
          Object parsed = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(options))
              .load(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          return parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
      }
    } catch (IOException | RuntimeException e) {
      // a hostile or truncated archive a test serves on purpose: its entry has name and version only
    }
    return Map.of();
  }

  /** The {@code Authorization} value for HTTP Basic. */
  public static String basic(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex SHA-256. */
  public static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** A small pool of daemon threads for a fake server's handlers. */
  public static ExecutorService daemonPool(String name) {
    return Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Deletes a directory tree, best effort (a temporary directory). */
  public static void deleteTree(Path root) {
    dev.helmsdk.testkit.internal.Directories.deleteQuietly(root);
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

  /** The charts a fake serves: directories (packaged at start, optionally at another version) or archives. */
  public static final class ChartList {
    private record Spec(Path directory, String version, Path archive) {}

    private final List<Spec> specs = new java.util.ArrayList<>();

    /** A chart directory, or a {@code .tgz} when {@code chart} is a regular file. */
    public void add(Path chart) {
      Objects.requireNonNull(chart, "chart");
      specs.add(Files.isRegularFile(chart) ? new Spec(null, null, chart) : new Spec(chart, null, null));
    }

    /** A chart directory at {@code version}. */
    public void add(Path chartDirectory, String version) {
      specs.add(new Spec(Objects.requireNonNull(chartDirectory, "chartDirectory"), Objects.requireNonNull(version, "version"), null));
    }

    /** The archives, packaging directories into {@code workDir}. */
    public List<Path> archives(Path workDir) {
      return specs.stream().map(c -> c.archive() != null ? c.archive() : packageChart(c.directory(), c.version(), workDir)).toList();
    }
  }

  /**
   * A fake's loopback HTTP server, its temporary directory and its outage switch. Created with the
   * directory first (the fake fills it), then {@link #start} serves.
   */
  public static final class Server implements AutoCloseable {
    private final Path dir;
    private HttpServer http;
    private ExecutorService executor;
    private volatile int outageStatus;

    /** Creates the temporary directory. */
    public Server(String prefix) {
      try {
        this.dir = Files.createTempDirectory(prefix);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The temporary directory, deleted on {@link #close()}. */
    public Path dir() {
      return dir;
    }

    /**
     * Serves {@code handler} on a free loopback port, over TLS with the testkit CA's server
     * certificate when {@code tls} (clients trust {@link LocalPki#caPem()}).
     */
    public void start(String threadName, HttpHandler handler, boolean tls) {
      try {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls) {
          HttpsServer https = HttpsServer.create(loopback, 0);
          https.setHttpsConfigurator(new HttpsConfigurator(LocalPki.shared().serverSslContext()));
          http = https;
        } else {
          http = HttpServer.create(loopback, 0);
        }
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("cannot start " + threadName, e);
      }
      executor = daemonPool(threadName);
      http.setExecutor(executor);
      http.createContext("/", handler);
      http.start();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostAndPort() {
      return "127.0.0.1:" + http.getAddress().getPort();
    }

    /** The status every request gets during an outage, or 0. */
    public int outageStatus() {
      return outageStatus;
    }

    /** Answers every request with {@code status} until {@link #endOutage()}. */
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

    /** Stops serving and deletes the directory. */
    @Override
    public void close() {
      if (http != null) {
        http.stop(0);
      }
      if (executor != null) {
        executor.shutdownNow();
      }
      deleteTree(dir);
    }
  }
}
