package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Turns a {@link ChartRef} into the reference string helm-java takes, checking local charts
 * before anything is sent to the cluster. helm-java cannot take a repository URL, so charts from
 * classic repositories are fetched here (index, then archive) into the manager's work directory.
 */
final class ChartSource {

    private final Path workDir;
    private final ObjectMapper yaml;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    ChartSource(Path workDir, ObjectMapper yaml) {
        this.workDir = workDir;
        this.yaml = yaml;
    }

    /** Checks a local chart exists and is one; no-op for remote charts. */
    void checkLocal(Operation op, String release, ChartRef chart) {
        if (chart instanceof ChartRef.Directory d) {
            if (!Files.isDirectory(d.path())) {
                throw new InvalidRequestException(op, release, "chart directory " + d.path() + " does not exist");
            }
            if (!Files.isRegularFile(d.path().resolve("Chart.yaml"))) {
                throw new InvalidRequestException(op, release, "chart directory " + d.path()
                        + " has no Chart.yaml; point at the directory that holds the chart's Chart.yaml");
            }
        } else if (chart instanceof ChartRef.Archive a && !Files.isRegularFile(a.path())) {
            throw new InvalidRequestException(op, release, "chart archive " + a.path() + " does not exist");
        }
    }

    /** The chart reference for helm-java, and the version to pass it (or {@code null}). */
    record Resolved(String reference, String version) {
    }

    Resolved resolve(Operation op, String release, ChartRef chart) {
        checkLocal(op, release, chart);
        if (chart instanceof ChartRef.Directory d) {
            return new Resolved(d.path().toAbsolutePath().normalize().toString(), null);
        }
        if (chart instanceof ChartRef.Archive a) {
            return new Resolved(a.path().toAbsolutePath().normalize().toString(), null);
        }
        if (chart instanceof ChartRef.Oci o) {
            return new Resolved(o.reference(), o.version());
        }
        ChartRef.Repository r = (ChartRef.Repository) chart;
        return new Resolved(fetch(op, release, r).toString(), null);
    }

    private Path fetch(Operation op, String release, ChartRef.Repository r) {
        URI base = URI.create(r.repositoryUrl().toString().endsWith("/") ? r.repositoryUrl().toString() : r.repositoryUrl() + "/");
        JsonNode index;
        try {
            index = yaml.readTree(get(op, release, base.resolve("index.yaml")));
        } catch (IOException e) {
            throw new ChartNotFoundException(op, release, "repository index " + base.resolve("index.yaml") + " is not valid YAML: " + e.getMessage(), e);
        }
        JsonNode entries = index.path("entries").path(r.name());
        JsonNode chosen = null;
        for (JsonNode entry : entries) {
            // Helm's index lists versions newest first: the first entry is the latest.
            if (r.version() == null || r.version().equals(entry.path("version").asText())) {
                chosen = entry;
                break;
            }
        }
        if (chosen == null || chosen.path("urls").isEmpty()) {
            throw new ChartNotFoundException(op, release, "chart '" + r.name() + "'" + (r.version() == null ? "" : " version " + r.version())
                    + " not found in repository " + base, null);
        }
        URI archive = base.resolve(chosen.path("urls").get(0).asText());
        Path target = workDir.resolve("charts").resolve(r.name() + "-" + chosen.path("version").asText() + ".tgz");
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, get(op, release, archive));
        } catch (IOException e) {
            throw new ChartNotFoundException(op, release, "cannot store chart archive from " + archive + ": " + e.getMessage(), e);
        }
        return target;
    }

    private byte[] get(Operation op, String release, URI uri) {
        try {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw new ChartNotFoundException(op, release, "GET " + uri + " answered " + res.statusCode(), null);
            }
            return res.body();
        } catch (IOException e) {
            throw new ChartNotFoundException(op, release, "GET " + uri + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChartNotFoundException(op, release, "GET " + uri + " was interrupted", e);
        }
    }
}
