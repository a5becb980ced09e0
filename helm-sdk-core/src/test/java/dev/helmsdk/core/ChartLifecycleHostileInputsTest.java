package dev.helmsdk.core;

import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.charts.FileErrors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and truncated local inputs to every chart lifecycle operation that reads them (push reads an archive,
 * package and the dependency operations a chart directory, verify a {@code .prov}): each is a typed error naming the
 * bad thing, sent before any request (the target registry does not exist), and nothing is written. Remote sources
 * serving hostile bytes are testkit's (ChartLifecycleRemoteFaultsTest).
 */
class ChartLifecycleHostileInputsTest {

    /** Nothing listens there: an input refused before any request never learns that. */
    private static final String NOWHERE = "oci://127.0.0.1:9/charts";
    private static final String CHART_YAML = "apiVersion: v2\nname: web\nversion: 1.0.0\n";
    /** Nine levels of ten aliases each: a billion strings once expanded. */
    private static final String LAUGHS = billionLaughs();

    @TempDir
    Path tmp;

    @Test
    void hostileArchivesArePushedNowhere() throws Exception {
        try (ChartLifecycle charts = lifecycle()) {
            Path whole = tgz("web-1.0.0.tgz", "web/Chart.yaml", CHART_YAML);
            Path cut = Files.write(tmp.resolve("cut-1.0.0.tgz"), java.util.Arrays.copyOf(Files.readAllBytes(whole), (int) Files.size(whole) / 2));
            assertRefused(charts, cut, "truncated");
            assertRefused(charts, tgz("dots.tgz", "web/../../escape.txt", "x", "web/Chart.yaml", CHART_YAML), "'..'");
            assertRefused(charts, symlinked(), "link");
            assertRefused(charts, bomb(), "");
            assertRefused(charts, tgz("nochart.tgz", "web/values.yaml", "a: 1\n"), "Chart.yaml");
            assertRefused(charts, tgz("notyaml.tgz", "web/Chart.yaml", "name: [web\nversion: {"), "Chart.yaml");
            assertRefused(charts, tgz("laughs.tgz", "web/Chart.yaml", CHART_YAML + LAUGHS), "Chart.yaml");
            assertRefused(charts, tgz("scalar.tgz", "web/Chart.yaml", "just text"), "Chart.yaml");
            assertFalse(Files.exists(tmp.resolve("escape.txt")));
        }
    }

    @Test
    void anchorsHelmAcceptsAreAcceptedAsHelmDoes() throws Exception {
        // Go's YAML resolves a few aliases: Helm packages such a chart, so its archive is not refused as hostile.
        Path anchored = tgz("anchored-1.0.0.tgz", "web/Chart.yaml",
                "apiVersion: v2\nname: &n web\nversion: 1.0.0\ndescription: *n\nannotations: &a {x: y}\nkeywords: [*n]\n");
        try (ChartLifecycle charts = lifecycle()) {
            HelmSdkException e = assertThrows(HelmSdkException.class, () -> charts.push(anchored, NOWHERE));
            assertFalse(e instanceof InvalidRequestException, "got past the archive and Chart.yaml: " + e);
        }
    }

    @Test
    void hostileChartDirectoriesArePackagedNowhereAndKeepTheirLock() throws Exception {
        Path out = tmp.resolve("out");
        try (ChartLifecycle charts = lifecycle()) {
            for (String bad : new String[] {"name: [web\n", CHART_YAML + LAUGHS, "- a list\n"}) {
                Path chart = chart("bad", bad);
                InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> charts.packageChart(chart, out));
                assertTrue(e.getMessage().contains(chart.resolve("Chart.yaml").toString()) || e.getMessage().contains(chart + "/Chart.yaml"),
                        e.getMessage());
                assertEquals(Operation.PACKAGE, e.operation());
                assertFalse(Files.exists(out), "no destination made for a chart refused");
            }
            Path missing = chart("missing", CHART_YAML);
            Files.delete(missing.resolve("Chart.yaml"));
            assertTrue(assertThrows(InvalidRequestException.class, () -> charts.dependencyUpdate(missing)).getMessage().contains("no Chart.yaml"));

            // A Chart.lock that is not YAML: named, and the lock and charts/ stay as they were.
            Path locked = chart("locked", CHART_YAML + "dependencies:\n- name: sub\n  version: 1.0.0\n  repository: https://127.0.0.1:9/charts\n");
            Files.writeString(locked.resolve("Chart.lock"), "dependencies: [ {name: sub\n");
            Files.createDirectories(locked.resolve("charts"));
            Files.writeString(locked.resolve("charts/sub-0.9.0.tgz"), "old");
            Map<String, byte[]> before = snapshot(locked);
            for (var op : java.util.List.<org.junit.jupiter.api.function.Executable>of(() -> charts.dependencyBuild(locked), () -> charts.packageChart(locked, out))) {
                InvalidRequestException e = assertThrows(InvalidRequestException.class, op::execute);
                assertTrue(e.getMessage().contains(locked.resolve("Chart.lock").toString()), e.getMessage());
                Map<String, byte[]> after = snapshot(locked);
                assertEquals(before.keySet(), after.keySet());
                before.forEach((k, v) -> assertEquals(new String(v, StandardCharsets.ISO_8859_1), new String(after.get(k), StandardCharsets.ISO_8859_1), k));
            }
        }
    }

    @Test
    void aDestinationThatIsAFileIsTheUsersToFixAndNamed() throws Exception {
        Path chart = chart("web", CHART_YAML);
        Files.createDirectories(chart.resolve("templates"));
        Path file = Files.writeString(tmp.resolve("a-file"), "mine");
        try (ChartLifecycle charts = lifecycle()) {
            for (Path destination : new Path[] {file, file.resolve("below")}) {
                InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> charts.packageChart(chart, destination));
                assertTrue(e.getMessage().contains(destination.toString()) && e.getMessage().contains("is a file"), e.getMessage());
                assertEquals("mine", Files.readString(file));
            }
        }
    }

    @Test
    void fileErrorsThePathDoesNotExplainAreOperationFailuresWithTheirCause() {
        IOException disk = new IOException("Input/output error");
        HelmSdkException e = FileErrors.of(Operation.PULL, "cannot write web into /out", tmp, disk);
        assertInstanceOf(HelmOperationException.class, e);
        assertEquals(disk, e.getCause());
        assertTrue(e.getMessage().contains("Input/output error") && e.getMessage().contains(tmp.toString()), e.getMessage());
        HelmSdkException denied = FileErrors.of(Operation.PULL, "cannot write web into /out", tmp,
                new java.nio.file.AccessDeniedException(tmp.toString()));
        assertInstanceOf(InvalidRequestException.class, denied);
        assertTrue(denied.getMessage().contains("not writable"), denied.getMessage());
        HelmSdkException readOnly = FileErrors.of(Operation.PACKAGE, "cannot write", tmp,
                new java.nio.file.FileSystemException(tmp.toString(), null, "Read-only file system"));
        assertInstanceOf(InvalidRequestException.class, readOnly);
    }

    @Test
    void aGarbageProvenanceFileIsAVerificationFailureNamingTheArchive() throws Exception {
        Path archive = tgz("web-1.0.0.tgz", "web/Chart.yaml", CHART_YAML);
        Path keyring = Files.write(tmp.resolve("pubring.gpg"), new byte[] {(byte) 0x99, 0x01, 0x0d, 1, 2, 3});
        try (ChartLifecycle charts = lifecycle()) {
            for (String garbage : new String[] {"", "not a signature at all\n", "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\ncut"}) {
                Files.writeString(tmp.resolve("web-1.0.0.tgz.prov"), garbage);
                HelmSdkException e = assertThrows(HelmSdkException.class, () -> charts.verify(archive, keyring));
                assertTrue(e instanceof ChartVerificationException || e instanceof InvalidRequestException, e.toString());
                assertTrue(e.getMessage().contains(archive.toString()) || e.getMessage().contains(keyring.toString()), e.getMessage());
            }
        }
    }

    // ---- helpers ----

    private ChartLifecycle lifecycle() {
        return HelmSdk.chartLifecycle().workDirectory(tmp.resolve("work")).discoverAuditSinks(false).discoverInterceptors(false).build();
    }

    private static void assertRefused(ChartLifecycle charts, Path archive, String says) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> charts.push(archive, NOWHERE), archive.toString());
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertEquals(Operation.PUSH, e.operation());
    }

    private Path chart(String name, String chartYaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("charts-src").resolve(name));
        Files.writeString(dir.resolve("Chart.yaml"), chartYaml);
        return dir;
    }

    /** An archive of the given files (entry names kept as given, {@code ..} and all), in the order given. */
    private Path tgz(String name, String... pathThenText) throws IOException {
        return TestArchives.tgz(tmp.resolve(name), pathThenText);
    }

    private Path symlinked() throws IOException {
        Path file = tmp.resolve("link.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            TestArchives.put(tar, "web/Chart.yaml", CHART_YAML.getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("web/values.yaml", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return file;
    }

    /** A few hundred kilobytes that inflate to 200 MiB of zeros: past every budget. */
    private Path bomb() throws IOException {
        Path file = tmp.resolve("bomb.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            TestArchives.put(tar, "web/Chart.yaml", CHART_YAML.getBytes(StandardCharsets.UTF_8));
            long size = 200L << 20;
            TarArchiveEntry zeros = new TarArchiveEntry("web/templates/zeros.yaml");
            zeros.setSize(size);
            tar.putArchiveEntry(zeros);
            byte[] block = new byte[1 << 20];
            for (long n = 0; n < size; n += block.length) {
                tar.write(block);
            }
            tar.closeArchiveEntry();
        }
        assertTrue(Files.size(file) < (2 << 20), "the bomb is small: " + Files.size(file));
        return file;
    }

    private static String billionLaughs() {
        StringBuilder y = new StringBuilder("annotations:\n  l0: &l0 \"lol\"\n");
        for (int i = 1; i <= 9; i++) {
            y.append("  l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ",").append("*l").append(i - 1);
            }
            y.append("]\n");
        }
        return y.toString();
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

}
