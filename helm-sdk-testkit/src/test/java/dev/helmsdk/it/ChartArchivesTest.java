package dev.helmsdk.it;

import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples;

import com.marcnuri.helm.Helm;
import dev.helmsdk.core.internal.source.ChartArchives;
import dev.helmsdk.core.internal.source.ChartMetadata;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples.Kind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive check alone: every hostile kind, the legitimate formats, and Helm's own limits compared with Helm. */
@Tag("integration")
class ChartArchivesTest {

    /** What each refusal must say. */
    static final Map<Kind, String> REASONS = new LinkedHashMap<>();

    static {
        REASONS.put(Kind.ABSOLUTE_PATH, "absolute path");
        REASONS.put(Kind.PARENT_TRAVERSAL, "'..' segment");
        REASONS.put(Kind.SYMLINK, "symbolic link");
        REASONS.put(Kind.HARD_LINK, "hard link");
        REASONS.put(Kind.CHAR_DEVICE, "character device");
        REASONS.put(Kind.BLOCK_DEVICE, "block device");
        REASONS.put(Kind.FIFO, "FIFO");
        REASONS.put(Kind.TWO_TOP_DIRECTORIES, "outside the chart's top directory");
        REASONS.put(Kind.FILE_OUTSIDE_TOP, "outside the chart's top directory");
        REASONS.put(Kind.NO_CHART_YAML, "no Chart.yaml");
        REASONS.put(Kind.GZIP_BOMB, "more than Helm's limit of 5242880 bytes for one file");
        REASONS.put(Kind.RATIO_BOMB, "compression bomb");
        REASONS.put(Kind.TOO_MANY_ENTRIES, "more than 5000 entries");
        REASONS.put(Kind.TRUNCATED_GZIP, "truncated");
        REASONS.put(Kind.TRUNCATED_TAR, "truncated");
        REASONS.put(Kind.NOT_GZIP, "not gzip-compressed");
    }

    static String reason(Kind kind) {
        return REASONS.get(kind);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyHostileKindIsRefusedWithItsReasonAndEveryLegitimateOneAccepted(Kind kind) throws Exception {
        byte[] archive = ChartArchiveSamples.bytes(kind);
        if (kind.hostile()) {
            ChartArchives.Refused refused = assertThrows(ChartArchives.Refused.class,
                    () -> ChartArchives.check(archive, ChartArchives.DEFAULT));
            assertTrue(refused.getMessage().contains(reason(kind)), kind + ": " + refused.getMessage());
        } else {
            ChartArchives.Checked checked = ChartArchives.check(archive, ChartArchives.DEFAULT);
            assertEquals(kind.chartName(), checked.topDirectory());
            assertEquals(Map.of("name", kind.chartName(), "version", "1.0.0"), ChartMetadata.of(checked.chartYaml()));
        }
    }

    @Test
    void theBombsAreRefusedByTheirSizeNotByReadingThem() throws Exception {
        byte[] bomb = ChartArchiveSamples.bytes(Kind.GZIP_BOMB);
        assertTrue(bomb.length < 8 << 20 && ChartArchiveSamples.BOMB_BYTES >= 4L << 30, "a few MiB that decompress to 4 GiB");
        // A gzip member after the tar's end is read as well: a bomb hidden there is refused by the ratio.
        byte[] valid = ChartArchiveSamples.bytes(Kind.PAX_LONG_NAMES);
        byte[] zeros = ChartArchiveSamples.gzip(new byte[64 << 20]);
        byte[] trailing = new byte[valid.length + zeros.length];
        System.arraycopy(valid, 0, trailing, 0, valid.length);
        System.arraycopy(zeros, 0, trailing, valid.length, zeros.length);
        ChartArchives.Refused refused = assertThrows(ChartArchives.Refused.class, () -> ChartArchives.check(trailing, ChartArchives.DEFAULT));
        assertTrue(refused.getMessage().contains("compression bomb"), refused.getMessage());
    }

    @Test
    void helmPackagedPodinfoIsAcceptedAndItsChartYamlRead(@TempDir Path tmp) throws Exception {
        Path archive = FakeChartRepository.packageChart(podinfo(), null, tmp);
        ChartArchives.Checked checked = ChartArchives.check(archive);
        assertEquals("podinfo", checked.topDirectory());
        assertEquals("podinfo", ChartMetadata.read(archive).get("name"));
        assertEquals(ChartMetadata.read(podinfo()), ChartMetadata.read(archive));
    }

    /** Sparse entries as GNU tar writes them (old GNU and PAX 1.0 formats): accepted by Helm and by the check. */
    @Test
    void sparseEntriesAreReadAsHelmReadsThem(@TempDir Path tmp) throws Exception {
        Path chart = Files.createDirectories(tmp.resolve("src/sparse/templates"));
        Files.writeString(tmp.resolve("src/sparse/Chart.yaml"), "apiVersion: v2\nname: sparse\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sparse\n");
        try (java.io.RandomAccessFile holes = new java.io.RandomAccessFile(tmp.resolve("src/sparse/holes.bin").toFile(), "rw")) {
            holes.seek(3 << 20);
            holes.write("end".getBytes(StandardCharsets.UTF_8)); // 3 MiB of hole, then data
        }
        for (String format : List.of("gnu", "posix")) {
            Path archive = tmp.resolve("sparse-" + format + ".tgz");
            Process tar = new ProcessBuilder("tar", "--sparse", "--format=" + format, "-czf", archive.toString(), "-C",
                    tmp.resolve("src").toString(), "sparse").inheritIO().start();
            org.junit.jupiter.api.Assumptions.assumeTrue(tar.waitFor() == 0 || "true".equals(System.getenv("CI")), "GNU tar is needed");
            assertEquals(0, tar.exitValue(), "GNU tar");
            Helm.template(archive.toString()).call();
            ChartArchives.Checked checked = ChartArchives.check(archive);
            assertEquals((3 << 20) + 3 + 2 * 60, checked.contentBytes(), 60, format + ": the sparse file counts at its full size, as Helm's limit does");
        }
    }

    @Test
    void pathsHelmCannotReadAreRefusedAndOnesItCleansAreAccepted() throws Exception {
        assertRefused("not inside a named top directory", "./chart/Chart.yaml");
        assertRefused("absolute path", "C:/chart/Chart.yaml");
        assertRefused("'..' segment", "chart\\..\\..\\x.yaml");
        assertRefused("control character", "chart/templates/a\nb.yaml");
        // Helm cleans "chart//templates/./cm.yaml" to templates/cm.yaml; so does the check.
        ChartArchives.check(archive(List.of("chart/Chart.yaml", "chart//templates/./cm.yaml")), ChartArchives.DEFAULT);
        // Archives made on Windows separate with '\', which Helm reads as '/'.
        ChartArchives.check(archive(List.of("chart\\Chart.yaml", "chart\\templates\\cm.yaml")), ChartArchives.DEFAULT);
    }

    @Test
    void anEmptyFileAndEmptyArchivesAreRefused() throws Exception {
        assertTrue(assertThrows(ChartArchives.Refused.class, () -> ChartArchives.check(new byte[0], ChartArchives.DEFAULT))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(ChartArchives.Refused.class, () -> ChartArchives.check(archive(List.of()), ChartArchives.DEFAULT))
                .getMessage().contains("no entries"));
        byte[] text = "replicaCount: 2\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(ChartArchives.Refused.class, () -> ChartArchives.check(text, ChartArchives.DEFAULT))
                .getMessage().contains("not gzip-compressed"));
    }

    /**
     * Helm 3.21's own limits, differentially: a file of exactly 5 MiB and files of one byte less
     * than 100 MiB in all are accepted by Helm and by the check; one byte more is refused by both.
     */
    @Test
    void helmsSizeLimitsAreTheChecksLimits(@TempDir Path tmp) throws Exception {
        long mib = 1 << 20;
        int chartYaml = chartYaml("total-100mib").length;
        Map<String, long[]> cases = new LinkedHashMap<>();
        cases.put("file-5mib", new long[] {5 * mib});
        cases.put("file-5mib-plus-1", new long[] {5 * mib + 1});
        // Chart.yaml counts too: twenty files of 5 MiB, the last one shorter by Chart.yaml's size
        // (and one byte: Helm refuses a chart of exactly 100 MiB).
        long[] under = new long[20];
        java.util.Arrays.fill(under, 5 * mib);
        under[19] -= chartYaml + 1;
        cases.put("total-100mib-minus-1", under);
        long[] exactly = under.clone();
        exactly[19] += 1;
        cases.put("total-100mib", exactly);
        Map<String, Boolean> accepted = Map.of("file-5mib", true, "file-5mib-plus-1", false,
                "total-100mib-minus-1", true, "total-100mib", false);
        for (Map.Entry<String, long[]> c : cases.entrySet()) {
            Path file = sized(tmp, c.getKey(), c.getValue());
            boolean helmAccepts;
            String helmSays = "";
            try {
                Helm.template(file.toString()).call();
                helmAccepts = true;
            } catch (IllegalStateException e) {
                helmAccepts = false;
                helmSays = e.getMessage();
            }
            boolean weAccept;
            String weSay = "";
            try {
                ChartArchives.check(file);
                weAccept = true;
            } catch (ChartArchives.Refused e) {
                weAccept = false;
                weSay = e.getMessage();
            }
            assertEquals(helmAccepts, weAccept, c.getKey() + ": Helm said '" + helmSays + "', the check '" + weSay + "'");
            assertEquals(accepted.get(c.getKey()), weAccept, c.getKey() + ": " + weSay);
            Files.delete(file);
        }
    }

    private static byte[] chartYaml(String name) {
        return ("apiVersion: v2\nname: " + name + "\nversion: 1.0.0\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A chart with Chart.yaml and files of the given sizes, of incompressible bytes, stored uncompressed. */
    private static Path sized(Path dir, String name, long[] sizes) throws IOException {
        byte[] chartYaml = chartYaml(name.startsWith("total") ? "total-100mib" : name);
        Path file = dir.resolve(name + ".tgz");
        GzipParameters stored = new GzipParameters();
        stored.setCompressionLevel(0);
        java.util.Random random = new java.util.Random(7);
        byte[] chunk = new byte[1 << 20];
        random.nextBytes(chunk);
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(file), stored))) {
            put(t, name + "/Chart.yaml", chartYaml, chartYaml.length);
            for (int i = 0; i < sizes.length; i++) {
                put(t, name + "/files/f" + i + ".bin", chunk, sizes[i]);
            }
        }
        return file;
    }

    private static void put(TarArchiveOutputStream t, String name, byte[] chunk, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        t.putArchiveEntry(e);
        for (long left = size; left > 0; left -= Math.min(left, chunk.length)) {
            t.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
        t.closeArchiveEntry();
    }

    private static void assertRefused(String reason, String name) throws IOException {
        byte[] a = archive(List.of("chart/Chart.yaml", name));
        ChartArchives.Refused refused = assertThrows(ChartArchives.Refused.class, () -> ChartArchives.check(a, ChartArchives.DEFAULT), name);
        assertTrue(refused.getMessage().contains(reason), name + ": " + refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "control characters are escaped in messages");
    }

    /** A gzip tar whose files have these names; each holds a valid Chart.yaml text. */
    private static byte[] archive(List<String> names) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            byte[] body = "apiVersion: v2\nname: chart\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8);
            for (String n : names) {
                TarArchiveEntry e = new TarArchiveEntry(n, true);
                e.setSize(body.length);
                t.putArchiveEntry(e);
                t.write(body);
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static Path podinfo() {
        return TestCharts.podinfo();
    }
}
