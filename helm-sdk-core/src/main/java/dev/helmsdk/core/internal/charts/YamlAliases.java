package dev.helmsdk.core.internal.charts;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Refuses YAML whose aliases expand it past {@link #MAX_NODES} nodes (a "billion laughs"), as Helm refuses it
 * ("excessive aliasing"): Jackson reads such a file without expanding it, so without this check the SDK would push or
 * lock a chart every Helm refuses. A few anchors, as charts use them, pass. Counted over the parser's events, so the
 * check itself expands nothing.
 */
final class YamlAliases {

    /** Far more nodes than any real Chart.yaml or Chart.lock has, far fewer than an alias bomb expands to. */
    static final long MAX_NODES = 1_000_000;

    private YamlAliases() {
    }

    /** Throws an {@link InvalidRequestException} naming {@code file} when {@code text} expands past the limit. */
    static void requireBounded(Operation op, String file, String text) {
        Map<String, Long> anchored = new HashMap<>();
        Deque<long[]> open = new ArrayDeque<>();     // nodes counted so far in each open collection
        Deque<String> anchors = new ArrayDeque<>();  // each open collection's anchor ("" for none)
        long total = 0;
        try {
            ParserImpl parser = new ParserImpl(new StreamReader(text), new LoaderOptions());
            while (parser.peekEvent() != null) {
                Event e = parser.getEvent();
                long add = 0;
                if (e instanceof ScalarEvent s) {
                    add = 1;
                    remember(anchored, s.getAnchor(), 1);
                } else if (e instanceof AliasEvent a) {
                    add = anchored.getOrDefault(a.getAnchor(), 1L);
                } else if (e instanceof CollectionStartEvent c) {
                    open.push(new long[] {1});
                    anchors.push(c.getAnchor() == null ? "" : c.getAnchor());
                    continue;
                } else if (e instanceof CollectionEndEvent && !open.isEmpty()) {
                    add = open.pop()[0];
                    remember(anchored, anchors.pop(), add);
                } else {
                    continue;
                }
                if (open.isEmpty()) {
                    total += add;
                } else {
                    open.peek()[0] = Math.min(Long.MAX_VALUE / 2, open.peek()[0] + add);
                }
                if (total > MAX_NODES || !open.isEmpty() && open.peek()[0] > MAX_NODES) {
                    throw new InvalidRequestException(op, null, file + " is refused: its aliases expand it past " + MAX_NODES
                            + " nodes (an alias bomb; Helm refuses it as \"excessive aliasing\")");
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // Not YAML: the reader that follows says so, naming the file.
        }
    }

    private static void remember(Map<String, Long> anchored, String anchor, long nodes) {
        if (anchor != null && !anchor.isEmpty()) {
            anchored.put(anchor, nodes);
        }
    }
}
