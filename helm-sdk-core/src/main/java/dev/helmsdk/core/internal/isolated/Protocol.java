package dev.helmsdk.core.internal.isolated;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.helmsdk.core.internal.HelmCall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire format between the SDK and an isolated Helm process: one JSON document per line.
 *
 * <ul>
 *   <li>Parent to child, on the child's stdin: a {@link Request} per line, nothing else. The
 *       parent is the only writer, so no framing is needed; EOF means the parent is gone.</li>
 *   <li>Child to parent, on the child's stdout: {@link Reply} lines, each written as
 *       {@code "\n" + PREFIX + length + " " + json + "\n"} in a single write. Helm's Go code shares
 *       that file descriptor and may print to it, so the parent keeps only lines holding
 *       {@link #PREFIX} (anywhere: stray text without a newline may precede it), and checks the
 *       declared length so that stray bytes landing inside a reply are detected, never parsed as
 *       part of it. The JSON is written with non-ASCII escaped, so characters and bytes agree.</li>
 * </ul>
 */
final class Protocol {

    /** Marks reply lines; control characters make an accidental match in Helm's output implausible. */
    static final String PREFIX = "\u0001helm-sdk-reply\u0002 ";

    /** The environment variable through which the parent tells the child its protocol version. */
    static final String VERSION_ENV = "HELM_SDK_ISOLATED_PROTOCOL";

    /** Bumped on any incompatible change; parent and child come from the same jar in practice. */
    static final String VERSION = "1";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Protocol() {
    }

    /** A call to run, numbered by the parent. */
    record Request(long id, HelmCall call) {
    }

    /**
     * What the child says: {@code hello} once at start (with its pid), then per request either a
     * {@code result} or an {@code error} (Helm's text, and the exception's class for anything that
     * is not Helm's own {@code IllegalStateException}).
     */
    record Reply(long id, Long hello, HelmCall.Result result, String error, String errorType) {

        static Reply hello(long pid) {
            return new Reply(0, pid, null, null, null);
        }

        static Reply success(long id, HelmCall.Result result) {
            return new Reply(id, null, result, null, null);
        }

        static Reply failure(long id, Throwable e) {
            String text = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Reply(id, null, null, text, e instanceof IllegalStateException ? null : e.getClass().getName());
        }
    }

    static String requestLine(Request request) {
        try {
            return JSON.writeValueAsString(request) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Request parseRequest(String line) throws IOException {
        return JSON.readValue(line, Request.class);
    }

    /** The bytes of one reply, to be written at once. */
    static byte[] replyBytes(Reply reply) {
        try {
            String json = JSON.writeValueAsString(reply);
            return ("\n" + PREFIX + json.length() + " " + json + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The result of reading one line of the child's stdout. */
    sealed interface Line permits Noise, Parsed, Garbled {
    }

    /** Not a reply: output of Helm or of something else in the child. */
    record Noise(String text) implements Line {
    }

    /** A reply, with any stray text that preceded it on the line. */
    record Parsed(Reply reply, String strayBefore) implements Line {
    }

    /** A reply that was damaged (its length or JSON do not check out). */
    record Garbled(String why) implements Line {
    }

    static Line parseLine(String line) {
        int at = line.indexOf(PREFIX);
        if (at < 0) {
            return new Noise(line);
        }
        String stray = line.substring(0, at);
        String rest = line.substring(at + PREFIX.length());
        int space = rest.indexOf(' ');
        if (space <= 0) {
            return new Garbled("no length in a reply line");
        }
        int length;
        try {
            length = Integer.parseInt(rest.substring(0, space));
        } catch (NumberFormatException e) {
            return new Garbled("bad length in a reply line: " + abbreviate(rest.substring(0, space)));
        }
        String json = rest.substring(space + 1);
        if (json.length() != length) {
            return new Garbled("a reply of " + length + " characters arrived with " + json.length()
                    + " (other output was mixed into it)");
        }
        try {
            return new Parsed(JSON.readValue(json, Reply.class), stray);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            return new Garbled("a reply could not be parsed: " + why);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
