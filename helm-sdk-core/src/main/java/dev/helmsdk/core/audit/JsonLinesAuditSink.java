package dev.helmsdk.core.audit;

import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the audit trail to a file: append-only, one JSON object a line (the form the schema
 * {@value AuditEvent#SCHEMA_RESOURCE} describes), each line forced to disk before {@link #write} returns,
 * so an event written survives the JVM or the machine going down ({@link Durability#FORCED}, the default;
 * {@link Durability#WRITTEN} hands it to the operating system only, which survives the JVM being killed but not
 * the machine losing power, and saves the two disk syncs a change costs). When a line would take the file past
 * its size limit, the file is rotated first: {@code audit.jsonl} becomes {@code audit.jsonl.1}, {@code .1}
 * becomes {@code .2}, and so on, keeping the newest {@code keep} rotated files.
 *
 * <pre>{@code
 * JsonLinesAuditSink audit = new JsonLinesAuditSink(Path.of("/var/log/deployer/audit.jsonl"));
 * }</pre>
 *
 * <p>Thread-safe: share one instance between the managers of a JVM writing to one file (two instances on
 * one file would rotate it under each other). The file goes where it is told, never to a default location.
 * {@link #interruptedChanges(Path)} reads a trail back and finds the changes that started and never ended.
 */
public final class JsonLinesAuditSink implements AuditSink {

    /** The default size limit of the current file: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** How many rotated files are kept by default. */
    public static final int DEFAULT_KEEP = 10;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final Durability durability;
    private FileChannel channel;

    /** How durable an event is once {@link #write} returns. */
    public enum Durability {
        /** Forced to disk (its data and the file's length): survives the machine going down. Two syncs a change. */
        FORCED,
        /** Written to the operating system: survives the JVM being killed, not a power loss. */
        WRITTEN
    }

    /**
     * A sink appending to {@code file} (created with its directories when missing), rotated past
     * {@link #DEFAULT_MAX_BYTES}, keeping {@link #DEFAULT_KEEP} rotated files.
     *
     * @param file the trail's file
     * @throws UncheckedIOException when the file cannot be opened for appending
     */
    public JsonLinesAuditSink(Path file) {
        this(file, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    /**
     * A sink appending to {@code file}, rotated when a line would take it past {@code maxBytes}.
     *
     * @param file     the trail's file (created with its directories when missing)
     * @param maxBytes the size limit of the current file; positive
     * @param keep     how many rotated files ({@code file.1} ... {@code file.<keep>}) are kept; at least 1
     * @throws IllegalArgumentException when {@code maxBytes} or {@code keep} is out of range
     * @throws UncheckedIOException     when the file cannot be opened for appending
     */
    public JsonLinesAuditSink(Path file, long maxBytes, int keep) {
        this(file, maxBytes, keep, Durability.FORCED);
    }

    /**
     * As {@link #JsonLinesAuditSink(Path, long, int)}, with the durability of each event chosen.
     *
     * @param durability {@link Durability#FORCED} (the other constructors' choice) or {@link Durability#WRITTEN}
     */
    public JsonLinesAuditSink(Path file, long maxBytes, int keep, Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.maxBytes = maxBytes;
        this.keep = keep;
        try {
            Path dir = this.file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            this.channel = open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit file " + this.file + " for appending: " + e.getMessage(), e);
        }
    }

    /** The current file of the trail. */
    public Path file() {
        return file;
    }

    /**
     * Appends the event as one line and, with {@link Durability#FORCED}, forces it to disk.
     *
     * @throws UncheckedIOException when it could not be written (no room, the file was closed)
     */
    @Override
    public synchronized void write(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        byte[] line = (AuditJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (channel == null) {
                throw new IOException("the sink was closed");
            }
            long size = channel.size();
            if (size > 0 && size + line.length > maxBytes) {
                rotate();
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            // The data (and the file's length, which reading it back needs): enough to survive a crash; no other metadata.
            if (durability == Durability.FORCED) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to audit file " + file + ": " + e.getMessage(), e);
        }
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        Files.deleteIfExists(rotated(file, keep));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(file, i);
            if (Files.exists(from)) {
                Files.move(from, rotated(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
        channel = open();
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Closes the file; writes after this fail. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file opened for appending only: nothing is lost, every line was already forced
            } finally {
                channel = null;
            }
        }
    }

    /**
     * Every event of the trail at {@code file}, oldest first: the rotated files ({@code file.N} down to
     * {@code file.1}) and then {@code file}. A last line cut short (the JVM was killed while writing it)
     * is skipped.
     *
     * @param file the trail's current file, as given to the sink
     * @return the events; empty when there is no such file
     * @throws UncheckedIOException     when a file cannot be read
     * @throws IllegalArgumentException when a line other than a file's last one is not an audit event
     */
    public static List<AuditEvent> read(Path file) {
        Objects.requireNonNull(file, "file");
        List<Path> files = new ArrayList<>();
        for (int i = 1; Files.exists(rotated(file, i)); i++) {
            files.add(0, rotated(file, i));
        }
        if (Files.exists(file)) {
            files.add(file);
        }
        List<AuditEvent> events = new ArrayList<>();
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read audit file " + f + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    events.add(AuditJson.read(lines.get(i)));
                } catch (IllegalArgumentException e) {
                    if (i < lines.size() - 1) {
                        throw new IllegalArgumentException(f + " line " + (i + 1) + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return events;
    }

    /**
     * The changes of the trail at {@code file} whose intent has no outcome: changes that were
     * interrupted (the JVM was killed, the machine went down) and whose release may be left half
     * changed, or stuck in a pending state. Look at each release's status and history before
     * changing it again. A change still running when this reads counts too.
     *
     * @param file the trail's current file, as given to the sink
     * @return their intents, oldest first
     * @throws UncheckedIOException when a file cannot be read
     */
    public static List<AuditEvent> interruptedChanges(Path file) {
        List<AuditEvent> all = read(file);
        Set<String> ended = all.stream().filter(e -> e.phase() == AuditEvent.Phase.OUTCOME).map(AuditEvent::operationId)
                .collect(Collectors.toSet());
        Map<String, AuditEvent> open = new LinkedHashMap<>();
        for (AuditEvent e : all) {
            if (e.phase() == AuditEvent.Phase.INTENT && !ended.contains(e.operationId())) {
                open.putIfAbsent(e.operationId(), e);
            }
        }
        return List.copyOf(open.values());
    }

    @Override
    public String toString() {
        return "JsonLinesAuditSink[" + file + "]";
    }
}
