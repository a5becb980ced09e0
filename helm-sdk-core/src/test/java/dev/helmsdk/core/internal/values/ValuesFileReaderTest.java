package dev.helmsdk.core.internal.values;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limits on a values file: size, nesting and alias expansion, each refused quickly and cheaply. */
class ValuesFileReaderTest {

    @TempDir
    Path dir;

    private Map<String, Object> read(Path file) {
        return ValuesFileReader.read(Operation.INSTALL, "web", file);
    }

    /** Runs {@code work} on this thread and returns the bytes it allocated (HotSpot's per-thread counter). */
    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        work.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    private static <T extends Throwable> T refused(Class<T> type, Supplier<?> call, long[] allocated, long[] millis) {
        long start = System.nanoTime();
        Throwable[] thrown = new Throwable[1];
        allocated[0] = allocatedBy(() -> thrown[0] = assertThrows(type, call::get));
        millis[0] = (System.nanoTime() - start) / 1_000_000;
        return type.cast(thrown[0]);
    }

    @Test
    void aBillionLaughsIsRefusedQuicklyWithBoundedMemory() throws Exception {
        // Nine levels of ten aliases: 10^9 strings once expanded, in a file of under a kilobyte.
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        Path bomb = Files.writeString(dir.resolve("bomb.yaml"), b.toString());
        long[] allocated = new long[1];
        long[] millis = new long[1];
        InvalidRequestException e = refused(InvalidRequestException.class, () -> read(bomb), allocated, millis);
        assertTrue(e.getMessage().contains(bomb.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expands aliases too much") && e.getMessage().contains("99%"), e.getMessage());
        assertTrue(millis[0] < 2_000, "refused in " + millis[0] + " ms");
        assertTrue(allocated[0] < 64L << 20, "allocated " + (allocated[0] >> 20) + " MiB to refuse it");
    }

    @Test
    void aliasesWithinHelmsBudgetAreExpanded() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.yaml"), "base: &b {x: 1}\nl: [*b, *b]\n");
        assertEquals(List.of(Map.of("x", 1), Map.of("x", 1)), read(ok).get("l"));
    }

    @Test
    void nestingPastTheLimitIsRefusedNamingTheLimitAndUpToItIsRead() throws Exception {
        Path deep = Files.writeString(dir.resolve("deep.yaml"),
                "a: " + "[".repeat(Values.MAX_DEPTH + 1) + "]".repeat(Values.MAX_DEPTH + 1) + "\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> read(deep));
        assertTrue(e.getMessage().contains(deep.toString()) && e.getMessage().contains(Values.MAX_DEPTH + " levels")
                && e.getMessage().contains("Values.MAX_DEPTH"), e.getMessage());

        // The top-level map is one level; in a thread with a small stack, as a server's worker may have.
        Path limit = Files.writeString(dir.resolve("limit.yaml"),
                "a: " + "[".repeat(Values.MAX_DEPTH - 1) + "]".repeat(Values.MAX_DEPTH - 1) + "\n");
        Object[] got = new Object[1];
        Thread t = new Thread(null, () -> got[0] = read(limit), "small-stack", 512 * 1024);
        t.start();
        t.join();
        assertTrue(got[0] instanceof Map<?, ?> m && m.containsKey("a"), "read at the limit: " + got[0]);
    }

    @Test
    void aFileOverTheSizeLimitIsReportedAsSuchWithoutBeingRead() throws Exception {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64L << 20); // sparse: 64 MiB that cost nothing to make
        }
        long[] allocated = new long[1];
        long[] millis = new long[1];
        InvalidRequestException e = refused(InvalidRequestException.class, () -> read(big), allocated, millis);
        assertTrue(e.getMessage().contains(big.toString()) && e.getMessage().contains("size limit")
                && e.getMessage().contains(Values.MAX_FILE_BYTES + " bytes") && e.getMessage().contains("4 MiB")
                && e.getMessage().contains(String.valueOf(64L << 20)), e.getMessage());
        assertFalse(e.getMessage().contains("YAML"), "not called invalid YAML: " + e.getMessage());
        assertTrue(allocated[0] < 8L << 20, "allocated " + (allocated[0] >> 20) + " MiB: the file was read");
    }

    @Test
    void aFileAtTheSizeLimitIsRead() throws Exception {
        String line = "k: " + "x".repeat(1000) + "\n";
        StringBuilder b = new StringBuilder();
        while (b.length() + line.length() <= Values.MAX_FILE_BYTES) {
            b.append(line);
        }
        b.append("#".repeat(Values.MAX_FILE_BYTES - b.length() - 1)).append('\n');
        Path full = Files.writeString(dir.resolve("full.yaml"), b);
        assertEquals(Values.MAX_FILE_BYTES, Files.size(full));
        assertEquals("x".repeat(1000), read(full).get("k"));
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "a: 1\nb:\n  c: [1, 2\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> read(bad));
        assertTrue(e.getMessage().startsWith("values file " + bad + " is not valid YAML at line 4, column 1"), e.getMessage());

        Path inf = Files.writeString(dir.resolve("inf.yaml"), "a: 1\nb:\n  c: .inf\n");
        e = assertThrows(InvalidRequestException.class, () -> read(inf));
        assertTrue(e.getMessage().startsWith("values file " + inf + " cannot be read by Helm at line 3, column 6: infinity"),
                e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path none = dir.resolve("none.yaml");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> read(none));
        assertEquals("values file " + none + " does not exist", e.getMessage());
    }
}
