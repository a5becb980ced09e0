package dev.helmsdk.core.audit;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.audit.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON-lines sink: one event a line, read back as written, rotated by size, safe for many threads, and interrupted changes found. */
class JsonLinesAuditSinkTest {

    @TempDir
    Path tmp;

    static AuditEvent intent(String operationId) {
        return new AuditEvent(1, UUID.randomUUID().toString(), Instant.now(), AuditEvent.Phase.INTENT, AuditEvent.Type.CHANGE,
                operationId, Optional.empty(), "ci:job \"7\"\t", Operation.UPGRADE, "shop", "apps", Instant.EPOCH,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static AuditEvent outcome(String operationId) {
        return new AuditEvent(1, UUID.randomUUID().toString(), Instant.now(), AuditEvent.Phase.OUTCOME,
                AuditEvent.Type.REMEDIATION_DECISION, operationId, Optional.of("parent"), "", Operation.ROLLBACK, "shop", "apps",
                Instant.EPOCH, Optional.of("auto_rollback"), Optional.of("readiness_failed"), Optional.of(Duration.ofMillis(1234)),
                Optional.of(new AuditEvent.Chart("shop", "1.2.3", "revision 2")), Optional.of(new AuditEvent.Revisions(3, 4)),
                Optional.of("sha256:" + "a".repeat(64)), Optional.of(new AuditEvent.Remediation("rollback", 2)),
                Optional.of(new AuditEvent.LockTakeover("12@host", Duration.ofSeconds(3))),
                Optional.of(new AuditEvent.SecretRead("vault", "x.Vault", "failed", Optional.of("denied"), "sha256:" + "b".repeat(64))));
    }

    @Test
    void everyFieldReadsBackAsWrittenOneLineAnEvent() throws IOException {
        Path file = tmp.resolve("a/b/audit.jsonl");
        List<AuditEvent> written = List.of(intent("op-1"), outcome("op-1"));
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file)) {
            written.forEach(sink::write);
        }
        assertEquals(2, Files.readAllLines(file).size(), "one line an event, control characters escaped");
        assertEquals(written, JsonLinesAuditSink.read(file));
    }

    @Test
    void aWrittenTrailReadsBackAtOnceWithoutForcingTheDisk() throws IOException {
        Path file = tmp.resolve("written.jsonl");
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file, 1 << 20, 2, JsonLinesAuditSink.Durability.WRITTEN)) {
            AuditEvent started = intent("op-w");
            sink.write(started);
            assertEquals(List.of(started), JsonLinesAuditSink.read(file), "another reader sees it before close");
            assertEquals(1, JsonLinesAuditSink.interruptedChanges(file).size());
            sink.write(outcome("op-w"));
            assertEquals(0, JsonLinesAuditSink.interruptedChanges(file).size());
        }
    }

    @Test
    void appendsToAnExistingTrailAndRefusesWritesOnceClosed() {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file)) {
            sink.write(intent("op-1"));
        }
        JsonLinesAuditSink again = new JsonLinesAuditSink(file);
        again.write(outcome("op-1"));
        again.close();
        assertEquals(2, JsonLinesAuditSink.read(file).size());
        assertThrows(UncheckedIOException.class, () -> again.write(intent("op-2")));
    }

    @Test
    void rotatesBySizeKeepingTheNewestFiles() throws IOException {
        Path file = tmp.resolve("audit.jsonl");
        int lineBytes = (int) Files.size(writeOne(tmp.resolve("probe.jsonl")));
        List<String> ids = new ArrayList<>();
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file, lineBytes * 2L + 10, 2)) {
            for (int i = 0; i < 7; i++) {
                AuditEvent e = intent("op-" + i);
                ids.add(e.operationId());
                sink.write(e);
            }
        }
        assertTrue(Files.exists(tmp.resolve("audit.jsonl.1")) && Files.exists(tmp.resolve("audit.jsonl.2")));
        assertFalse(Files.exists(tmp.resolve("audit.jsonl.3")), "only two rotated files are kept");
        for (Path p : List.of(file, tmp.resolve("audit.jsonl.1"), tmp.resolve("audit.jsonl.2"))) {
            assertTrue(Files.size(p) <= lineBytes * 2L + 10, p + " stays within the limit");
        }
        assertEquals(ids.subList(2, 7), JsonLinesAuditSink.read(file).stream().map(AuditEvent::operationId).toList(),
                "the newest events, oldest first");
    }

    @Test
    void manyThreadsWriteWholeLines() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        sink.write(intent("op-" + thread + "-" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEvent> read = JsonLinesAuditSink.read(file);
        Set<String> ids = new HashSet<>();
        read.forEach(e -> ids.add(e.operationId()));
        assertEquals(400, read.size());
        assertEquals(400, ids.size());
    }

    @Test
    void aChangeWhoseIntentHasNoOutcomeIsFoundAndATornLastLineSkipped() throws IOException {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file)) {
            sink.write(intent("done"));
            sink.write(outcome("done"));
            sink.write(intent("killed"));
        }
        // The JVM died while writing the next line.
        Files.writeString(file, "{\"schemaVersion\":1,\"eventId\":\"x\",\"ti", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<AuditEvent> open = JsonLinesAuditSink.interruptedChanges(file);
        assertEquals(List.of("killed"), open.stream().map(AuditEvent::operationId).toList());
        assertEquals(AuditEvent.Phase.INTENT, open.get(0).phase());
    }

    @Test
    void aBrokenLineInsideTheTrailIsAnError() throws IOException {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(file, "not json\n" + AuditJson.write(intent("a")) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLinesAuditSink.read(file));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new JsonLinesAuditSink(tmp.resolve("x"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new JsonLinesAuditSink(tmp.resolve("x"), 10, 0));
    }

    private static Path writeOne(Path file) {
        try (JsonLinesAuditSink sink = new JsonLinesAuditSink(file)) {
            sink.write(intent("op-0"));
        }
        return file;
    }
}
