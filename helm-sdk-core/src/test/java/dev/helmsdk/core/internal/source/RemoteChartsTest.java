package dev.helmsdk.core.internal.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RemoteCharts} against a small fake classic repository (JDK HttpServer) — version
 * resolution, ETag revalidation, the archive cache, digest checks, and where credentials are sent.
 * The real servers (nginx, docker-registry, tinyproxy) are exercised in helm-sdk-testkit.
 */
class RemoteChartsTest {

    private static final byte[] ARCHIVE_1 = chart("web", "1.2.0", "web/Chart.yaml");
    private static final byte[] ARCHIVE_2 = chart("web", "1.3.0", "web/Chart.yaml");

    /** A small gzip tar holding a Chart.yaml at each of {@code paths} (only the first one in the chart's directory is valid). */
    private static byte[] chart(String name, String version, String... paths) {
        String yaml = "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n";
        String[] files = new String[paths.length * 2];
        for (int i = 0; i < paths.length; i++) {
            files[2 * i] = paths[i];
            files[2 * i + 1] = yaml;
        }
        return dev.helmsdk.core.TestArchives.tgz(files);
    }

    /** A fake repository: serves index.yaml with an ETag and archives by path; records every request. */
    private static final class FakeRepository implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final Map<String, String> authorizations = new ConcurrentHashMap<>();
        final Map<String, byte[]> files = new ConcurrentHashMap<>();
        volatile String index = "";
        /** A status every request is answered with instead, while not 0. */
        volatile int failWith;

        FakeRepository(String host) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        URI url(String host) {
            return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/charts/");
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            requests.add(path + (inm == null ? "" : " if-none-match=" + inm));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.put(path, auth == null ? "none" : auth.split(" ")[0]);
            if (failWith != 0) {
                ex.sendResponseHeaders(failWith, -1);
                ex.close();
                return;
            }
            byte[] body;
            if (path.endsWith("/index.yaml")) {
                String etag = "\"" + Integer.toHexString(index.hashCode()) + "\"";
                ex.getResponseHeaders().add("ETag", etag);
                if (etag.equals(inm)) {
                    ex.sendResponseHeaders(304, -1);
                    ex.close();
                    return;
                }
                body = index.getBytes(StandardCharsets.UTF_8);
            } else if (path.startsWith("/redirect/")) {
                ex.getResponseHeaders().add("Location", new String(files.get(path), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(302, -1);
                ex.close();
                return;
            } else {
                body = files.get(path);
            }
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private FakeRepository repo;
    private URI url;

    @BeforeEach
    void start() throws IOException {
        repo = new FakeRepository("127.0.0.1");
        url = repo.url("127.0.0.1");
        repo.files.put("/charts/web-1.2.0.tgz", ARCHIVE_1);
        repo.files.put("/charts/web-1.3.0.tgz", ARCHIVE_2);
        repo.index = index(entry("1.3.0", "web-1.3.0.tgz", ARCHIVE_2), entry("2.0.0-rc.1", "web-1.3.0.tgz", ARCHIVE_2),
                entry("1.2.0", "web-1.2.0.tgz", ARCHIVE_1));
    }

    @AfterEach
    void stop() {
        repo.close();
    }

    private static String entry(String version, String urlPath, byte[] archive) {
        return "  - name: web\n    version: " + version + "\n    urls: [" + urlPath + "]\n    digest: " + Digests.sha256(archive) + "\n";
    }

    private static String index(String... entries) {
        return "apiVersion: v1\nentries:\n  web:\n" + String.join("", entries);
    }

    private ChartSources.Builder sources() {
        return ChartSources.builder().plainHttp("127.0.0.1", "localhost")
                .credentials(StaticCredentialProvider.of(url, new Credentials.BasicAuth("u", "secret-pw")));
    }

    private static RemoteCharts.Fetched fetch(RemoteCharts charts, URI url, String version) {
        return charts.fetch(Operation.INSTALL, "r", new ChartRef.Repository(url, "web", version), () -> CredentialContext.of(Operation.INSTALL));
    }

    @Test
    void constraintsPickTheHighestStableMatchAndTheArchiveIsCheckedAndCached(@TempDir Path dir) throws IOException {
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            RemoteCharts.Fetched latest = fetch(charts, url, null);
            assertEquals("1.3.0", latest.version(), "2.0.0-rc.1 is a prerelease");
            assertArrayEquals(ARCHIVE_2, Files.readAllBytes(latest.archive()));
            assertEquals("1.2.0", fetch(charts, url, "~1.2").version());
            assertEquals("2.0.0-rc.1", fetch(charts, url, ">=2.0.0-0").version());
            int archivesFetched = (int) repo.requests.stream().filter(r -> r.endsWith(".tgz")).count();
            assertEquals("1.3.0", fetch(charts, url, "^1.3").version());
            assertEquals(archivesFetched, repo.requests.stream().filter(r -> r.endsWith(".tgz")).count(),
                    "an archive with a known digest is not downloaded again");
            assertEquals(1, repo.requests.stream().filter(r -> r.endsWith("index.yaml")).count(), "the index was fetched once within the TTL");

            ChartNotFoundException none = assertThrows(ChartNotFoundException.class, () -> fetch(charts, url, ">=3"));
            assertTrue(none.getMessage().contains("no version matching '>=3'") && none.getMessage().contains("available: 2.0.0-rc.1, 1.3.0, 1.2.0"),
                    none.getMessage());
        }
    }

    @Test
    void aBadConstraintIsRejectedBeforeAnyRequest(@TempDir Path dir) {
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> fetch(charts, url, ">>1.2"));
            assertTrue(e.getMessage().contains(">>1.2") && e.getMessage().contains("'^2'"), e.getMessage());
            assertTrue(repo.requests.isEmpty(), repo.requests.toString());
        }
    }

    @Test
    void withTtlZeroTheIndexIsRevalidatedWithItsETag(@TempDir Path dir) {
        try (RemoteCharts charts = new RemoteCharts(sources().indexCacheTtl(Duration.ZERO).build(), dir)) {
            fetch(charts, url, "1.2.0");
            fetch(charts, url, "1.2.0");
            List<String> indexRequests = repo.requests.stream().filter(r -> r.startsWith("/charts/index.yaml")).toList();
            assertEquals(2, indexRequests.size(), indexRequests.toString());
            assertTrue(indexRequests.get(1).contains("if-none-match="), "revalidated with the ETag: " + indexRequests);
            assertEquals(1, charts.indexCache().revalidations(), "the 304 reused the parsed index");

            repo.index = index(entry("1.2.0", "web-1.2.0.tgz", ARCHIVE_1), entry("1.2.1", "web-1.3.0.tgz", ARCHIVE_2));
            assertEquals("1.2.1", fetch(charts, url, "~1.2").version(), "a changed index is seen by the next operation");
        }
    }

    @Test
    void aDigestMismatchIsRefusedAndNotCached(@TempDir Path dir) throws IOException {
        repo.index = index(entry("1.2.0", "web-1.2.0.tgz", ARCHIVE_2));
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            ChartSourceException e = assertThrows(ChartSourceException.class, () -> fetch(charts, url, "1.2.0"));
            assertEquals(ChartSourceException.Reason.INVALID_CONTENT, e.reason());
            assertTrue(e.getMessage().contains("digest"), e.getMessage());
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".tgz")), "nothing was kept");
            }
        }
    }

    @Test
    void aHostileArchiveIsRefusedByTheChartTheUserNamedAndNothingOfItIsStored(@TempDir Path dir) throws IOException {
        byte[] hostile = chart("web", "1.2.0", "web/Chart.yaml", "/etc/cron.d/evil");
        repo.files.put("/charts/web-1.2.0.tgz", hostile);
        repo.index = index(entry("1.2.0", "web-1.2.0.tgz", hostile));
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            ChartSourceException e = assertThrows(ChartSourceException.class, () -> fetch(charts, url, "~1.2"));
            assertEquals(ChartSourceException.Reason.INVALID_CONTENT, e.reason());
            assertTrue(e.getMessage().startsWith("chart " + url + " web:~1.2 (resolved to version 1.2.0) was refused (archive "
                    + url.resolve("web-1.2.0.tgz") + "): entry '/etc/cron.d/evil' has an absolute path"), e.getMessage());
            assertTrue(!e.getMessage().contains(dir.toString()) && !e.getMessage().contains("sha256-"), "no cache file is named: " + e.getMessage());
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "nothing of the archive was written");
            }
        }
    }

    @Test
    void aCachedArchiveDamagedOnDiskIsFetchedAgain(@TempDir Path dir) throws IOException {
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            Path cached = fetch(charts, url, "1.2.0").archive();
            assertEquals(1, repo.requests.stream().filter(r -> r.endsWith("web-1.2.0.tgz")).count());
            assertEquals(cached, fetch(charts, url, "1.2.0").archive());
            assertEquals(1, repo.requests.stream().filter(r -> r.endsWith("web-1.2.0.tgz")).count(), "an intact cached archive is reused");

            // Same digest name, damaged content (a disk error, a partial copy, tampering).
            Files.write(cached, java.util.Arrays.copyOf(ARCHIVE_1, ARCHIVE_1.length / 2));
            assertEquals(cached, fetch(charts, url, "1.2.0").archive());
            assertEquals(2, repo.requests.stream().filter(r -> r.endsWith("web-1.2.0.tgz")).count(), "the damaged one was fetched again");
            assertArrayEquals(ARCHIVE_1, Files.readAllBytes(cached));
        }
    }

    @Test
    void credentialsGoOnlyToTheRepositorysOwnOrigin(@TempDir Path dir) throws IOException {
        try (FakeRepository other = new FakeRepository("127.0.0.1")) {
            other.files.put("/elsewhere/web-1.2.0.tgz", ARCHIVE_1);
            URI elsewhere = other.url("127.0.0.1").resolve("/elsewhere/web-1.2.0.tgz");
            other.files.put("/elsewhere/web-1.3.0.tgz", ARCHIVE_2);
            repo.files.put("/redirect/web-1.3.0.tgz", elsewhere.resolve("web-1.3.0.tgz").toString().getBytes(StandardCharsets.UTF_8));
            repo.index = index(entry("1.3.0", "/redirect/web-1.3.0.tgz", ARCHIVE_2), entry("1.2.0", elsewhere.toString(), ARCHIVE_1));
            try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
                assertArrayEquals(ARCHIVE_1, Files.readAllBytes(fetch(charts, url, "1.2.0").archive()));
                assertArrayEquals(ARCHIVE_2, Files.readAllBytes(fetch(charts, url, "1.3.0").archive()));
            }
            assertEquals("Basic", repo.authorizations.get("/charts/index.yaml"));
            assertEquals("Basic", repo.authorizations.get("/redirect/web-1.3.0.tgz"));
            assertEquals("none", other.authorizations.get("/elsewhere/web-1.2.0.tgz"), "an archive on another origin gets no credentials");
            assertEquals("none", other.authorizations.get("/elsewhere/web-1.3.0.tgz"), "nor does a redirect target on another origin");

            // Helm's --pass-credentials: opted in, the other origin gets them too.
            other.files.put("/elsewhere/web-1.2.0.tgz", ARCHIVE_1);
            try (RemoteCharts passing = new RemoteCharts(sources().passCredentialsToAllHosts(true).build(), dir.resolve("passing"))) {
                fetch(passing, url, "1.2.0");
            }
            assertEquals("Basic", other.authorizations.get("/elsewhere/web-1.2.0.tgz"));
        }
    }

    @Test
    void plainHttpNeedsAnOptInAndMissingChartsAreNamed(@TempDir Path dir) {
        try (RemoteCharts strict = new RemoteCharts(ChartSources.builder()
                .credentials(StaticCredentialProvider.of(url, new Credentials.BearerToken("t0k"))).build(), dir)) {
            ChartSourceException e = assertThrows(ChartSourceException.class, () -> fetch(strict, url, null));
            assertEquals(ChartSourceException.Reason.INSECURE_TRANSPORT, e.reason());
            assertEquals("bearer from 'explicit'", e.method());
            assertTrue(repo.requests.isEmpty());
        }
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            ChartNotFoundException e = assertThrows(ChartNotFoundException.class, () -> charts.fetch(Operation.INSTALL, "r",
                    new ChartRef.Repository(url, "absent", null), () -> CredentialContext.of(Operation.INSTALL)));
            assertTrue(e.getMessage().contains("chart 'absent' not found in repository " + url), e.getMessage());
            assertNull(repo.authorizations.get("/charts/absent"));
        }
    }

    @Test
    void fetchesAreTimedByOutcomeAndIndexLookupsCounted(@TempDir Path dir) {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir, registry)) {
            fetch(charts, url, "1.2.0");
            fetch(charts, url, "1.3.0");
            assertThrows(ChartNotFoundException.class, () -> fetch(charts, url, "9.9.9"));
        }
        assertEquals(2, registry.get("helm.sdk.chart.fetch").tags("source", "repository", "outcome", "success").timer().count());
        assertEquals(1, registry.get("helm.sdk.chart.fetch").tags("source", "repository", "outcome", "not_found").timer().count());
        assertEquals(1, registry.get("helm.sdk.chart.index").tag("result", "downloaded").functionCounter().count());
        assertEquals(2, registry.get("helm.sdk.chart.index").tag("result", "hit").functionCounter().count());
    }

    @Test
    void eachFetchTellsTheOperationWhatServedItAndWhichCredentialsFailed(@TempDir Path dir) {
        List<dev.helmsdk.api.spi.OperationSignal> signals = new CopyOnWriteArrayList<>();
        try (RemoteCharts charts = new RemoteCharts(sources().indexCacheTtl(Duration.ZERO).build(), dir, null,
                java.util.Optional::empty, signals::add)) {
            fetch(charts, url, "1.2.0");
            fetch(charts, url, "1.2.0");
            repo.failWith = 503;
            fetch(charts, url, "1.2.0");
            repo.failWith = 401;
            assertThrows(ChartSourceException.class, () -> fetch(charts, url, "1.2.0"));
            repo.failWith = 403;
            assertThrows(ChartSourceException.class, () -> fetch(charts, url, "1.2.0"));
        }
        assertEquals(List.of(fetched("downloaded"), fetched("cached"), fetched("fallback"),
                new dev.helmsdk.api.spi.OperationSignal.AuthenticationFailed("127.0.0.1", "unauthorized"), fetched("failed"),
                new dev.helmsdk.api.spi.OperationSignal.AuthenticationFailed("127.0.0.1", "forbidden"), fetched("failed")), signals);

        signals.clear();
        repo.failWith = 0;
        dev.helmsdk.api.auth.CredentialProvider broken = new dev.helmsdk.api.auth.CredentialProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int priority() {
                return PRIORITY_EXPLICIT;
            }

            @Override
            public java.util.Optional<dev.helmsdk.api.auth.RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
                throw new IllegalStateException("vault sealed");
            }
        };
        try (RemoteCharts charts = new RemoteCharts(ChartSources.builder().plainHttp("127.0.0.1").credentials(broken).build(),
                dir.resolve("other"), null, java.util.Optional::empty, signals::add)) {
            fetch(charts, url, "1.2.0");
        }
        assertEquals(List.of(new dev.helmsdk.api.spi.OperationSignal.AuthenticationFailed("127.0.0.1", "provider_failed"),
                fetched("downloaded")), signals, "the provider failed; the repository answered anonymously");
    }

    private static dev.helmsdk.api.spi.OperationSignal fetched(String result) {
        return new dev.helmsdk.api.spi.OperationSignal.ChartFetched("repository", "127.0.0.1", result);
    }

    @Test
    void theArchiveCacheIsBoundedButKeepsWhatWasJustUsed(@TempDir Path dir) throws IOException {
        java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (int i = 0; i < ArchiveCache.MAX_ARCHIVES + 10; i++) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve("sha256-old" + i + ".tgz"), "x"), hourAgo);
        }
        Path recent = Files.writeString(dir.resolve("sha256-recent.tgz"), "y");
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            Path fetched = fetch(charts, url, "1.2.0").archive();
            try (var files = Files.list(dir)) {
                List<Path> left = files.filter(f -> f.getFileName().toString().startsWith("sha256-")).toList();
                assertEquals(ArchiveCache.MAX_ARCHIVES, left.size(), "pruned to the bound");
                assertTrue(left.contains(fetched) && left.contains(recent), "recently used archives are kept");
            }
        }
    }

    @Test
    void concurrentOperationsShareOneIndexDownload(@TempDir Path dir) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            List<java.util.concurrent.Future<RemoteCharts.Fetched>> results = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 16; i++) {
                String version = i % 2 == 0 ? "~1.2" : "^1";
                results.add(pool.submit(() -> {
                    go.await();
                    return fetch(charts, url, version);
                }));
            }
            go.countDown();
            for (int i = 0; i < results.size(); i++) {
                RemoteCharts.Fetched f = results.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertArrayEquals(i % 2 == 0 ? ARCHIVE_1 : ARCHIVE_2, Files.readAllBytes(f.archive()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, repo.requests.stream().filter(r -> r.endsWith("index.yaml")).count(), repo.requests.toString());
    }

    @Test
    void whileTheRepositoryIsDownTheLastIndexServesCachedArchivesButNotRevokedCredentials(@TempDir Path dir) throws IOException {
        try (RemoteCharts charts = new RemoteCharts(sources().indexCacheTtl(Duration.ZERO).build(), dir)) {
            RemoteCharts.Fetched before = fetch(charts, url, "~1.2");
            repo.server.removeContext("/");
            repo.server.createContext("/", ex -> {
                ex.sendResponseHeaders(503, -1);
                ex.close();
            });
            assertArrayEquals(ARCHIVE_1, Files.readAllBytes(fetch(charts, url, "~1.2").archive()),
                    "a 503 falls back to the cached index, and the archive is cached");
            assertEquals(before.archive(), fetch(charts, url, "~1.2").archive());
            ChartSourceException notCached = assertThrows(ChartSourceException.class, () -> fetch(charts, url, "1.3.0"));
            assertEquals(ChartSourceException.Reason.SERVER_ERROR, notCached.reason(), "an archive not yet cached cannot be had");
            assertTrue(notCached.retryable());

            repo.server.removeContext("/");
            repo.server.createContext("/", ex -> {
                ex.sendResponseHeaders(401, -1);
                ex.close();
            });
            ChartSourceException revoked = assertThrows(ChartSourceException.class, () -> fetch(charts, url, "~1.2"));
            assertEquals(ChartSourceException.Reason.UNAUTHORIZED, revoked.reason(), "no stale index after a 401");
        }
    }

    @Test
    void aServerThatEchoesTheRequestDoesNotPutTheSecretIntoTheMessage(@TempDir Path dir) {
        repo.server.removeContext("/");
        repo.server.createContext("/", ex -> {
            byte[] echo = ("Internal error while serving " + ex.getRequestURI() + " with headers " + ex.getRequestHeaders().entrySet())
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, echo.length);
            ex.getResponseBody().write(echo);
            ex.close();
        });
        try (RemoteCharts charts = new RemoteCharts(sources().build(), dir)) {
            ChartSourceException e = assertThrows(ChartSourceException.class, () -> fetch(charts, url, null));
            assertEquals(ChartSourceException.Reason.SERVER_ERROR, e.reason());
            String basic = java.util.Base64.getEncoder().encodeToString("u:secret-pw".getBytes(StandardCharsets.UTF_8));
            assertTrue(e.getMessage().contains("Basic ****"), "the echo is shown, masked: " + e.getMessage());
            assertTrue(!e.getMessage().contains(basic) && !e.getMessage().contains("secret-pw"), e.getMessage());
        }
    }
}
