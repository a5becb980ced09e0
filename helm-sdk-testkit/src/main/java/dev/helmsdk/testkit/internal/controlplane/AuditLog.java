package dev.helmsdk.testkit.internal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.testkit.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the API server's JSON audit log ({@code --audit-log-format=json}, one event per line) into
 * {@link RecordedRequest}s, reading only what was appended since the last call.
 *
 * <p>Each request counts once: a request's {@code ResponseComplete} event (or {@code Panic}); for long-running
 * requests (watches, exec, port-forward), which the API server reports with a {@code ResponseStarted} event when they
 * start and a {@code ResponseComplete} event only when they end, the {@code ResponseStarted} event, so that an open
 * watch shows up at once. {@code RequestReceived} events are ignored (the policy omits them anyway). Only requests by
 * the given users are kept, so the control plane's own components never show.
 *
 * <p>Completeness relies on the API server writing the event before the response ends: start it with
 * {@code --audit-log-mode=blocking}, in which the {@code ResponseComplete} event is written from the request's
 * handler chain, before the last byte of the response is sent.
 */
public final class AuditLog {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int LIMIT = 100_000;

  private final Path file;
  private final Set<String> users;
  private final List<String> quickMatches;
  private final ArrayDeque<RecordedRequest> requests = new ArrayDeque<>();
  /** Audit IDs of long-running requests already counted at ResponseStarted, until their ResponseComplete. */
  private final Set<String> started = new HashSet<>();
  private long offset;

  /**
   * A reader of an audit log file.
   *
   * @param file  the file given to {@code --audit-log-path} (may not exist yet)
   * @param users the user names whose requests are kept
   */
  public AuditLog(Path file, Set<String> users) {
    this.file = file;
    this.users = Set.copyOf(users);
    this.quickMatches = users.stream().map(u -> "\"username\":\"" + u + "\"").toList();
  }

  /**
   * The requests recorded since the last {@link #clear()}, ordered by the time the API server received them.
   *
   * @return an immutable snapshot
   */
  public synchronized List<RecordedRequest> requests() {
    readNew();
    List<RecordedRequest> copy = new ArrayList<>(requests);
    copy.sort(Comparator.comparing(RecordedRequest::time)); // stable: file order among equal times
    return List.copyOf(copy);
  }

  /** Forgets what was recorded so far (everything written to the file until now). */
  public synchronized void clear() {
    readNew();
    requests.clear();
  }

  private void readNew() {
    byte[] bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < offset) {
        offset = 0; // rotated or truncated
      }
      if (size == offset) {
        return;
      }
      long length = size - offset;
      if (length > Integer.MAX_VALUE - 16) {
        length = Integer.MAX_VALUE - 16;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) length);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          break;
        }
      }
      bytes = new byte[buf.position()];
      buf.flip();
      buf.get(bytes);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the audit log " + file, e);
    }
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
        lineStart = i + 1;
        accept(line);
      }
    }
    // A partial last line stays for the next call.
    offset += lineStart;
  }

  private void accept(String line) {
    if (quickMatches.stream().noneMatch(line::contains)) {
      return;
    }
    JsonNode event;
    try {
      event = MAPPER.readTree(line);
    } catch (IOException e) {
      return;
    }
    if (!users.contains(event.path("user").path("username").asText())) {
      return;
    }
    String stage = event.path("stage").asText();
    String auditId = event.path("auditID").asText();
    switch (stage) {
      case "ResponseStarted" -> {
        started.add(auditId);
        add(event);
      }
      case "ResponseComplete", "Panic" -> {
        if (!started.remove(auditId)) {
          add(event);
        }
      }
      default -> {
        // RequestReceived: counted when it completes.
      }
    }
  }

  private void add(JsonNode event) {
    String uri = event.path("requestURI").asText("");
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    Instant time;
    try {
      time = Instant.parse(event.path("requestReceivedTimestamp").asText());
    } catch (DateTimeParseException e) {
      time = Instant.now();
    }
    if (requests.size() >= LIMIT) {
      requests.removeFirst();
    }
    requests.addLast(new RecordedRequest(method(event), path, query, "", time));
  }

  /** The HTTP method behind an audit verb. */
  static String method(JsonNode event) {
    String verb = event.path("verb").asText("");
    return switch (verb) {
      case "create" -> "POST";
      case "update" -> "PUT";
      case "patch" -> "PATCH";
      case "delete", "deletecollection" -> "DELETE";
      case "get", "list", "watch" -> "GET";
      // Non-resource requests (/version, /openapi/v3, /apis...) carry the lower-case HTTP method as verb.
      default -> verb.toUpperCase(Locale.ROOT);
    };
  }

  /**
   * The audit log file.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * Whether the audit log file exists yet.
   *
   * @return true when it exists
   */
  public boolean exists() {
    return Files.exists(file);
  }
}
