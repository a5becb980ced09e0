package dev.helmsdk.core;

import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.core.internal.MinimalChartArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry that answers a push with errors (a fake of the Distribution API on loopback: the real
 * docker-registry does not fail on demand): typed errors, retryable where a retry may succeed, and no manifest
 * (so no tag) written after a failed blob upload. Refused credentials are tested against the real registry
 * (testkit's ChartLifecycleTest).
 */
class ChartLifecyclePushErrorsTest {

    @Test
    void aServerErrorOnABlobUploadIsRetryableAndNoManifestIsSent(@TempDir Path tmp) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = fake(requests, 503, 201);
        try (ChartLifecycle charts = lifecycle(server, tmp)) {
            ChartSourceException e = assertThrows(ChartSourceException.class,
                    () -> charts.push(archive(tmp), "oci://127.0.0.1:" + server.getAddress().getPort() + "/charts"));
            assertEquals(ChartSourceException.Reason.SERVER_ERROR, e.reason());
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains("blob upload"), e.getMessage());
            assertFalse(requests.stream().anyMatch(r -> r.contains("/manifests/")), requests.toString());
            // A registry's root with a port and no path is a target too, as for helm push: it reaches the registry.
            requests.clear();
            ChartSourceException atRoot = assertThrows(ChartSourceException.class,
                    () -> charts.push(archive(tmp), "oci://127.0.0.1:" + server.getAddress().getPort()));
            assertEquals(ChartSourceException.Reason.SERVER_ERROR, atRoot.reason());
            assertTrue(requests.stream().anyMatch(r -> r.contains("/v2/")), requests.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aManifestRefusedAsInvalidIsNotRetryable(@TempDir Path tmp) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = fake(requests, 202, 400);
        try (ChartLifecycle charts = lifecycle(server, tmp)) {
            ChartSourceException e = assertThrows(ChartSourceException.class,
                    () -> charts.push(archive(tmp), "oci://127.0.0.1:" + server.getAddress().getPort() + "/charts"));
            assertEquals(ChartSourceException.Reason.INVALID_CONTENT, e.reason());
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("manifest upload for oci://127.0.0.1:" + server.getAddress().getPort() + "/charts/web:1.0.0"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("MANIFEST_INVALID"), "the registry's own words: " + e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadTargetOrArchiveIsRefusedBeforeAnyRequest(@TempDir Path tmp) throws Exception {
        try (ChartLifecycle charts = HelmSdk.chartLifecycle().workDirectory(tmp.resolve("work")).build()) {
            Path archive = archive(tmp);
            assertThrows(InvalidRequestException.class, () -> charts.push(archive, "https://registry.example/charts"));
            assertThrows(InvalidRequestException.class, () -> charts.push(archive, "oci://registry.example/charts:1.0"));
            Path cut = tmp.resolve("cut.tgz");
            byte[] bytes = Files.readAllBytes(archive);
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> charts.push(cut, "oci://registry.example/charts"));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    /** Blob HEAD 404; upload start answers {@code startStatus}; blob PUT 201; manifest PUT answers {@code manifestStatus}. */
    private static HttpServer fake(List<String> requests, int startStatus, int manifestStatus) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            String what = x.getRequestMethod() + " " + x.getRequestURI();
            requests.add(what);
            x.getRequestBody().readAllBytes();
            int status;
            String body = "";
            if (what.startsWith("HEAD ")) {
                status = 404;
            } else if (what.startsWith("POST ") && what.contains("/blobs/uploads/")) {
                status = startStatus;
                if (status == 202) {
                    x.getResponseHeaders().add("Location", "/v2/charts/web/blobs/uploads/u-" + requests.size());
                } else {
                    body = "{\"errors\":[{\"code\":\"UNAVAILABLE\"}]}";
                }
            } else if (what.startsWith("PUT ") && what.contains("/blobs/uploads/")) {
                status = 201;
            } else if (what.startsWith("PUT ") && what.contains("/manifests/")) {
                status = manifestStatus;
                body = status == 400 ? "{\"errors\":[{\"code\":\"MANIFEST_INVALID\"}]}" : "";
            } else {
                status = 404;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, what.startsWith("HEAD ") || b.length == 0 ? -1 : b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return server;
    }

    private static ChartLifecycle lifecycle(HttpServer server, Path tmp) {
        return HelmSdk.chartLifecycle().workDirectory(tmp.resolve("work"))
                .chartSources(ChartSources.builder().plainHttp("127.0.0.1:" + server.getAddress().getPort()).build()).build();
    }

    private static Path archive(Path tmp) throws IOException {
        return MinimalChartArchive.web(tmp);
    }
}
