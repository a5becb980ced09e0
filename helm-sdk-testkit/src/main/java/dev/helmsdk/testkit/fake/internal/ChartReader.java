package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.provenance.ChartProvenance;
import dev.helmsdk.core.internal.source.ChartArchives;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads what the fake needs of a chart: its {@code Chart.yaml} metadata and its {@code values.yaml}
 * defaults, from a directory or a {@code .tgz} (checked by the same archive check as the real
 * manager's), or from a local chart registered for a repository or registry reference. Results are
 * cached per file and modification time, so thousands of installs read a chart once.
 */
public final class ChartReader {

    /** A chart as the fake sees it. */
    public record Chart(String name, String version, String appVersion, Map<String, Object> defaults, Path location,
                        List<String> lintErrors) {
    }

    private record Key(Path path, FileTime modified, FileTime valuesModified) {
    }

    private final Map<ChartRef, Path> registered;
    private final Map<Key, Chart> cache = new ConcurrentHashMap<>();

    /** {@code registered}: the local charts standing for repository and registry references. */
    public ChartReader(Map<ChartRef, Path> registered) {
        this.registered = Map.copyOf(registered);
    }

    /** The chart {@code ref} names, or the typed error the real manager gives for it. */
    public Chart read(Operation op, String release, ChartRef ref) {
        Path local = local(op, release, ref);
        return Files.isDirectory(local) || ref instanceof ChartRef.Directory ? directory(op, release, local) : archive(op, release, local);
    }

    /**
     * Verifies the provenance of the chart {@code ref} names with the real manager's code: the {@code .prov} beside the
     * local archive (the one registered for a repository or registry reference too, so the exception names that file);
     * a directory, local or registered, is refused as unpacked charts are.
     */
    public void verify(Operation op, String release, ChartRef ref, Path keyring) {
        Path local = local(op, release, ref);
        if (Files.isDirectory(local) || ref instanceof ChartRef.Directory) {
            throw ChartProvenance.directoryRefused(op, release, local);
        }
        if (!Files.isRegularFile(local)) {
            throw new InvalidRequestException(op, release, "chart archive " + local + " does not exist");
        }
        ChartProvenance.verifyLocal(op, local, keyring);
    }

    private Path local(Operation op, String release, ChartRef ref) {
        return ref instanceof ChartRef.Directory d ? d.path() : ref instanceof ChartRef.Archive a ? a.path() : remote(op, release, ref);
    }

    private Path remote(Operation op, String release, ChartRef ref) {
        Path p = registered.get(ref);
        if (p == null) {
            throw new ChartNotFoundException(op, release, op.tag() + " failed: the chart " + ref.describe()
                    + " could not be found: the fake has no network; register a local chart for it with"
                    + " FakeHelmManager.builder().chart(ref, path)", null);
        }
        return p;
    }

    private Chart directory(Operation op, String release, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidRequestException(op, release, "chart directory " + dir + " does not exist");
        }
        Path chartYaml = dir.resolve("Chart.yaml");
        Path valuesYaml = dir.resolve("values.yaml");
        if (!Files.isRegularFile(chartYaml)) {
            throw new InvalidRequestException(op, release, "chart directory " + dir
                    + " has no Chart.yaml; point at the directory that holds the chart's Chart.yaml");
        }
        try {
            Key key = new Key(dir.toAbsolutePath().normalize(), Files.getLastModifiedTime(chartYaml),
                    Files.isRegularFile(valuesYaml) ? Files.getLastModifiedTime(valuesYaml) : null);
            Chart cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
            String values = key.valuesModified() == null ? "" : Files.readString(valuesYaml, StandardCharsets.UTF_8);
            Chart c = parse(op, release, dir, Files.readString(chartYaml, StandardCharsets.UTF_8), values);
            cache.put(key, c);
            return c;
        } catch (IOException e) {
            throw new InvalidRequestException(op, release, "chart directory " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    private Chart archive(Operation op, String release, Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new InvalidRequestException(op, release, "chart archive " + archive + " does not exist");
        }
        try {
            Key key = new Key(archive.toAbsolutePath().normalize(), Files.getLastModifiedTime(archive), null);
            Chart cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
            ChartArchives.Checked checked = ChartArchives.check(archive);
            Chart c = parse(op, release, archive, checked.chartYaml(), valuesIn(archive, checked.topDirectory() + "/values.yaml"));
            cache.put(key, c);
            return c;
        } catch (ChartArchives.Refused e) {
            throw new InvalidRequestException(op, release, "chart archive " + archive + " was refused: " + e.getMessage()
                    + "; nothing was sent to the cluster (package the chart with helm package)", e);
        } catch (IOException e) {
            throw new InvalidRequestException(op, release, "chart archive " + archive + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The text of {@code entry} in an archive the check accepted, or empty. */
    private static String valuesIn(Path archive, String entry) throws IOException {
        // The JDK's gzip, as the archive check's: commons-compress refuses the FEXTRA field of archives `helm package`
        // writes (Go's raw Extra bytes, not RFC 1952 subfields).
        try (InputStream in = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(entry)) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private static Chart parse(Operation op, String release, Path where, String chartYaml, String valuesYaml) {
        Object meta;
        Object defaults;
        try {
            meta = yaml().load(chartYaml);
        } catch (RuntimeException e) {
            throw new InvalidRequestException(op, release, "Chart.yaml of chart " + where + " is not YAML: " + e.getMessage(), e);
        }
        try {
            defaults = valuesYaml.isBlank() ? null : yaml().load(valuesYaml);
        } catch (RuntimeException e) {
            throw new InvalidRequestException(op, release, "values.yaml of chart " + where + " is not YAML: " + e.getMessage(), e);
        }
        Map<String, Object> m = meta instanceof Map ? (Map<String, Object>) meta : Map.of();
        String name = text(m.get("name"));
        String version = text(m.get("version"));
        List<String> errors = new java.util.ArrayList<>();
        if (m.get("apiVersion") == null) {
            errors.add("[ERROR] Chart.yaml: apiVersion is required. The value will be either \"v1\" or \"v2\"");
        }
        if (name.isEmpty()) {
            errors.add("[ERROR] Chart.yaml: name is required");
        }
        if (version.isEmpty()) {
            errors.add("[ERROR] Chart.yaml: version is required");
        }
        Map<String, Object> values = defaults instanceof Map ? ValueMaps.frozen((Map<String, Object>) defaults) : Map.of();
        return new Chart(name, version, text(m.get("appVersion")), values, where, List.copyOf(errors));
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    /** SnakeYAML instances are not thread-safe: one per parse (only on a cache miss). */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        return new Yaml(new SafeConstructor(options));
    }
}
