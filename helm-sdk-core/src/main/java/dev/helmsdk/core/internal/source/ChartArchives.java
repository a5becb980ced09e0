package dev.helmsdk.core.internal.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The one check every chart archive passes before Helm sees it, whatever its source (a local
 * {@code .tgz}, a repository download, a registry layer). It streams the archive once, through
 * the JDK's gzip reader and Commons Compress' tar reader (PAX headers, GNU long names and sparse
 * entries included), with bounded memory; it extracts nothing, and refuses what Helm would deploy
 * wrongly or should never be asked to read:
 * <ul>
 *   <li>input that is not gzip, or a gzip or tar stream that is truncated or corrupt;</li>
 *   <li>absolute paths (also {@code C:/}), {@code ..} segments, symbolic and hard links, device
 *       files and FIFOs, unknown entry types;</li>
 *   <li>entries outside the chart's single top directory, a second top directory, no
 *       {@code <top>/Chart.yaml};</li>
 *   <li>more than {@link Limits#maxEntries()} entries, a file over {@link Limits#maxFileBytes()}
 *       or files over {@link Limits#maxContentBytes()} in all (Helm 3.21's own two limits),
 *       tar metadata (PAX records, long names) over {@link Limits#maxMetadataBytes()} per entry
 *       (Go's tar reader's own limit), more than {@link Limits#maxCompressedBytes()} of input,
 *       and a compression ratio over {@link Limits#maxRatio()} once {@link Limits#ratioFloorBytes()}
 *       have been decompressed.</li>
 * </ul>
 * Thread-safe (stateless).
 */
public final class ChartArchives {

    private static final long MIB = 1L << 20;
    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:");

    /**
     * The limits of one check.
     *
     * @param maxCompressedBytes input bytes read at most (the archive itself)
     * @param maxContentBytes    sum of all files' sizes, which must stay below it (Helm: {@code MaxDecompressedChartSize}, 100 MiB)
     * @param maxFileBytes       one file's size (Helm: {@code MaxDecompressedFileSize}, 5 MiB)
     * @param maxEntries         tar entries, directories included (Helm has no such limit)
     * @param maxMetadataBytes   tar header bytes before one entry: PAX records, GNU long names
     * @param maxRatio           decompressed bytes per compressed byte, checked past {@code ratioFloorBytes}
     * @param ratioFloorBytes    decompressed bytes before the ratio applies (small charts of YAML compress well)
     */
    public record Limits(long maxCompressedBytes, long maxContentBytes, long maxFileBytes, int maxEntries,
                         long maxMetadataBytes, int maxRatio, long ratioFloorBytes) {

        /** Every limit positive. */
        public Limits {
            if (maxCompressedBytes <= 0 || maxContentBytes <= 0 || maxFileBytes <= 0 || maxEntries <= 0
                    || maxMetadataBytes <= 0 || maxRatio <= 0 || ratioFloorBytes < 0) {
                throw new IllegalArgumentException("archive limits must be positive");
            }
        }

        /** The same limits with another input size. */
        public Limits withMaxCompressedBytes(long bytes) {
            return new Limits(bytes, maxContentBytes, maxFileBytes, maxEntries, maxMetadataBytes, maxRatio, ratioFloorBytes);
        }

        /** Decompressed tar stream bytes at most: the content plus tar's own headers and padding. */
        long maxStreamBytes() {
            return maxContentBytes + (long) maxEntries * 1024 + 16 * MIB;
        }
    }

    /**
     * The defaults: Helm's 100 MiB and 5 MiB; 5,000 entries (large real charts have a few
     * hundred; each entry costs Commons Compress' tar reader some 30 KiB of short-lived garbage and
     * 10-25 microseconds, so this bounds the check's time at about 0.1 s); 1 MiB of tar metadata per entry, as Go's tar reader; a ratio of 100:1 past 10 MiB
     * (real charts compress 5-20:1; a bomb of zeros compresses 1000:1); input up to the content
     * limit, since gzip never makes real content much larger.
     */
    public static final Limits DEFAULT = new Limits(100 * MIB + 16 * MIB, 100 * MIB, 5 * MIB, 5_000, MIB, 100, 10 * MIB);

    /**
     * What the check found in an accepted archive.
     *
     * @param topDirectory the chart's top directory, e.g. {@code podinfo}
     * @param entries      tar entries read
     * @param contentBytes sum of the files' sizes
     * @param chartYaml    the text of {@code <top>/Chart.yaml}
     */
    public record Checked(String topDirectory, int entries, long contentBytes, String chartYaml) {
    }

    /** The archive was refused; {@link #getMessage()} is the reason, for people, naming no file. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }

        Refused(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }

    private ChartArchives() {
    }

    /** Checks the archive at {@code archive} with the {@link #DEFAULT} limits. */
    public static Checked check(Path archive) throws Refused, IOException {
        return check(archive, DEFAULT);
    }

    /** Checks the archive at {@code archive}; an I/O error reading the file itself is not a refusal. */
    public static Checked check(Path archive, Limits limits) throws Refused, IOException {
        long size = Files.size(archive);
        if (size > limits.maxCompressedBytes()) {
            throw new Refused("it is " + size + " bytes, more than the limit of " + limits.maxCompressedBytes() + " bytes for a chart archive");
        }
        try (InputStream in = Files.newInputStream(archive)) {
            return check(in, limits);
        }
    }

    /** Checks an archive held in memory (a download, before it is stored). */
    public static Checked check(byte[] archive, Limits limits) throws Refused {
        try {
            return check(new ByteArrayInputStream(archive), limits);
        } catch (IOException e) {
            throw new Refused("it cannot be read: " + e.getMessage(), e);
        }
    }

    /** Checks a stream (not closed here); reads it until the end of the gzip data. */
    public static Checked check(InputStream archive, Limits limits) throws Refused, IOException {
        ArchiveBudget budget = new ArchiveBudget(limits);
        BufferedInputStream raw = new BufferedInputStream(new ArchiveBudget.Counting(archive, budget::compressed), 8192);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new Refused(b0 < 0 ? "it is empty" : "it is not gzip-compressed (a chart archive is a .tgz as made by helm package)");
        }
        try {
            // The JDK's gzip reader, not Commons Compress': Commons 1.28 refuses the extra header
            // field that helm package writes into every chart it packages (not RFC 1952 subfields).
            // Like Go's, it reads concatenated members as one stream.
            GZIPInputStream gzip = new GZIPInputStream(raw, 8192);
            ArchiveBudget.Decompressed tarBytes = new ArchiveBudget.Decompressed(gzip, budget);
            Checked checked = readTar(new TarArchiveInputStream(tarBytes), budget, limits);
            // The rest of the gzip data (tar's record padding, further members) is read too, so a
            // corrupt or truncated end is found and its CRC checked; the same budget applies.
            while (tarBytes.skip(Long.MAX_VALUE) > 0) {
                // drained
            }
            budget.failIfTripped();
            return checked;
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            budget.failIfTripped();
            if (e instanceof EOFException || String.valueOf(e.getMessage()).toLowerCase().contains("truncated")) {
                throw new Refused("it is truncated (" + describe(e) + ")", e);
            }
            throw new Refused("it is not a valid gzip-compressed tar archive (" + describe(e) + ")", e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static Checked readTar(TarArchiveInputStream tar, ArchiveBudget budget, Limits limits) throws Refused, IOException {
        String top = null;
        String chartYaml = null;
        int entries = 0;
        long content = 0;
        byte[] buffer = new byte[8192];
        while (true) {
            budget.startHeader();
            TarArchiveEntry entry = tar.getNextEntry();
            budget.endHeader();
            if (entry == null) {
                break;
            }
            if (entry.isGlobalPaxHeader()) {
                continue; // Helm skips them too; Commons applies them to the entries that follow
            }
            if (++entries > limits.maxEntries()) {
                throw new Refused("it has more than " + limits.maxEntries() + " entries");
            }
            String name = entry.getName();
            List<String> path = segments(name);
            Kind kind = kind(entry, name);
            if (kind == Kind.REFUSED) {
                throw new Refused("entry '" + shown(name) + "' is " + typeName(entry) + "; a chart archive holds only files and directories");
            }
            if (top == null) {
                top = path.get(0);
            } else if (!top.equals(path.get(0))) {
                throw new Refused("entry '" + shown(name) + "' is outside the chart's top directory '" + shown(top)
                        + "' (a chart archive holds one directory, the chart)");
            }
            if (kind == Kind.DIRECTORY) {
                continue;
            }
            if (path.size() == 1) {
                throw new Refused("entry '" + shown(name) + "' is a file outside the chart's top directory");
            }
            long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
            if (size > limits.maxFileBytes()) {
                throw new Refused("file '" + shown(name) + "' is " + size + " bytes, more than Helm's limit of "
                        + limits.maxFileBytes() + " bytes for one file");
            }
            if (size >= limits.maxContentBytes() - content) {
                // Helm 3.21 refuses a chart of exactly its limit too.
                throw new Refused("its files reach Helm's limit of " + limits.maxContentBytes() + " bytes in all");
            }
            boolean isChartYaml = path.size() == 2 && path.get(1).equals("Chart.yaml");
            ByteArrayOutputStream keep = isChartYaml ? new ByteArrayOutputStream((int) size) : null;
            long read = 0;
            for (int n; (n = tar.read(buffer, 0, buffer.length)) >= 0; ) {
                read += n;
                if (read > size) {
                    throw new Refused("file '" + shown(name) + "' holds more data than its header says");
                }
                if (keep != null) {
                    keep.write(buffer, 0, n);
                }
            }
            budget.failIfTripped();
            if (read < size) {
                throw new Refused("it is truncated (file '" + shown(name) + "' ends after " + read + " of " + size + " bytes)");
            }
            content += size;
            if (keep != null) {
                // The last one wins and a byte-order mark is dropped, as in Helm.
                String text = keep.toString(StandardCharsets.UTF_8);
                chartYaml = text.startsWith("\uFEFF") ? text.substring(1) : text;
            }
        }
        if (top == null) {
            throw new Refused("it holds no entries");
        }
        if (chartYaml == null) {
            throw new Refused("it has no Chart.yaml in its top directory '" + shown(top) + "'");
        }
        return new Checked(top, entries, content, chartYaml);
    }

    private enum Kind { FILE, DIRECTORY, REFUSED }

    private static Kind kind(TarArchiveEntry entry, String name) {
        byte flag = entry.getLinkFlag();
        if (flag == TarConstants.LF_DIR) {
            return Kind.DIRECTORY;
        }
        if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM) {
            // As Go's tar reader: an old-style regular entry whose name ends in '/' is a directory.
            return name.endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
        }
        if (flag == TarConstants.LF_CONTIG || flag == TarConstants.LF_GNUTYPE_SPARSE) {
            return Kind.FILE; // read as regular files by Go's tar reader, and by Commons
        }
        return Kind.REFUSED;
    }

    private static String typeName(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "a symbolic link (to '" + shown(e.getLinkName()) + "')";
        }
        if (e.isLink()) {
            return "a hard link (to '" + shown(e.getLinkName()) + "')";
        }
        if (e.isCharacterDevice()) {
            return "a character device";
        }
        if (e.isBlockDevice()) {
            return "a block device";
        }
        if (e.isFIFO()) {
            return "a FIFO";
        }
        return "of tar type '" + (char) e.getLinkFlag() + "'";
    }

    /**
     * The path's segments, with empty and {@code .} segments after the first dropped (Helm cleans
     * them); refuses absolute paths, drive letters, {@code ..} anywhere and an unnamed top.
     */
    private static List<String> segments(String name) throws Refused {
        // Archives made on Windows may use '\'; Helm reads it as a separator.
        String path = name.replace('\\', '/');
        if (path.startsWith("/") || DRIVE.matcher(path).lookingAt()) {
            throw new Refused("entry '" + shown(name) + "' has an absolute path");
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20) {
                throw new Refused("entry '" + shown(name) + "' has a control character in its name");
            }
        }
        String[] raw = path.split("/");
        List<String> out = new ArrayList<>(raw.length);
        for (String s : raw) {
            if (s.equals("..")) {
                throw new Refused("entry '" + shown(name) + "' has a '..' segment (a path outside the chart)");
            }
            if (out.isEmpty() || !(s.isEmpty() || s.equals("."))) {
                out.add(s);
            }
        }
        if (out.isEmpty() || out.get(0).isEmpty() || out.get(0).equals(".")) {
            throw new Refused("entry '" + shown(name) + "' is not inside a named top directory (package charts with helm package)");
        }
        return out;
    }

    /** A name for a message: control characters escaped and the length bounded. */
    private static String shown(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 200; i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return name.length() > 200 ? b + "..." : b.toString();
    }

    /** {@code <top>/Chart.yaml} of an archive that passes the check, or empty. */
    static Optional<String> chartYaml(Path archive) {
        try {
            return Optional.of(check(archive).chartYaml());
        } catch (Refused | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
