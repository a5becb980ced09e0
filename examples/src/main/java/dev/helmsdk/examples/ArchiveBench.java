package dev.helmsdk.examples;

import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples;

import dev.helmsdk.core.internal.source.ChartArchives;
import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples.Kind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The SDK's chart archive check ({@link ChartArchives}) on every hostile archive kind of the
 * testkit's samples, and on legitimate archives: median time and median bytes allocated per check,
 * and the peak heap in use while the kind was checked. The program re-launches itself in a child
 * JVM with {@code -Xmx64m}, so every check also proves it fits in a 64 MiB heap.
 *
 * <pre>ArchiveBench [ROUNDS [WARMUP [PODINFO_DIR]]]   (default 15 measured rounds after 3 warm-up rounds)</pre>
 *
 * <p>For example {@code mvn -q -B -pl examples exec:exec -Dexample=dev.helmsdk.examples.ArchiveBench -Dexample.args="15 3"}.
 * Archives are written to a temporary directory, checked from the file as a local
 * {@code ChartRef.archive(..)} is, and deleted afterwards. Nothing is sent anywhere.
 */
public final class ArchiveBench {

    private ArchiveBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean("archivebench.child")) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-Darchivebench.child=true",
                    "-cp", System.getProperty("java.class.path"), ArchiveBench.class.getName()));
            command.addAll(Arrays.asList(args));
            System.exit(new ProcessBuilder(command).inheritIO().start().waitFor());
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path podinfo = args.length > 2 ? Path.of(args[2]) : findPodinfo();
        Path dir = Files.createTempDirectory("helm-sdk-archive-bench-");
        try {
            Map<String, Path> archives = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                archives.put(kind.name() + (kind.hostile() ? "" : " (legitimate)"), ChartArchiveSamples.write(kind, dir));
            }
            if (podinfo != null) {
                archives.put("podinfo (legitimate)", tgz(podinfo, dir.resolve("podinfo.tgz")));
            }
            System.out.printf("max heap %d MiB, %d rounds after %d warm-up rounds%n", Runtime.getRuntime().maxMemory() >> 20, rounds, warmup);
            System.out.printf("%-28s %10s %10s %14s %14s  %s%n", "archive", "bytes", "median ms", "median alloc", "peak heap MiB", "result");
            for (Map.Entry<String, Path> a : archives.entrySet()) {
                measure(a.getKey(), a.getValue(), rounds, warmup);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(String label, Path archive, int rounds, int warmup) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long[] nanos = new long[rounds];
        long[] allocated = new long[rounds];
        String result = "";
        for (int i = -warmup; i < rounds; i++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            try {
                ChartArchives.Checked ok = ChartArchives.check(archive);
                result = "accepted (" + ok.entries() + " entries)";
            } catch (ChartArchives.Refused e) {
                result = "refused: " + e.getMessage();
            }
            long t1 = System.nanoTime();
            if (i >= 0) {
                nanos[i] = t1 - t0;
                allocated[i] = threads.getCurrentThreadAllocatedBytes() - a0;
            }
        }
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%-28s %10d %10.2f %14s %14.1f  %s%n", label, Files.size(archive), median(nanos) / 1e6,
                median(allocated) / 1024 + " KiB", peak / 1048576.0, result.length() > 110 ? result.substring(0, 110) + "..." : result);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The chart directory as a .tgz with one top directory, as helm package lays it out. */
    private static Path tgz(Path chart, Path target) throws IOException {
        String top = chart.getFileName().toString();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(target)));
             Stream<Path> files = Files.walk(chart)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(f)) {
                    TarArchiveEntry e = new TarArchiveEntry(top + "/" + chart.relativize(f).toString().replace('\\', '/'));
                    e.setSize(Files.size(f));
                    tar.putArchiveEntry(e);
                    Files.copy(f, tar);
                    tar.closeArchiveEntry();
                }
            }
        }
        return target;
    }

    private static Path findPodinfo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path c : List.of(d.resolve("shared/charts/podinfo"), d.resolveSibling("shared").resolve("charts/podinfo"))) {
                if (Files.isRegularFile(c.resolve("Chart.yaml"))) {
                    return c;
                }
            }
        }
        return null;
    }
}
