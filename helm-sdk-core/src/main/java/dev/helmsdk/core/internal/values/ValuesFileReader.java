package dev.helmsdk.core.internal.values;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a values file the way Helm reads {@code -f}: sigs.k8s.io/yaml over go-yaml v2. SnakeYAML
 * parses and composes the node graph (anchors, aliases, the first document only); the types,
 * aliases and merge keys are then decoded here by go-yaml's rules, including its order-dependent
 * merge and its limit on alias expansion, so an alias bomb is refused, as Helm refuses it.
 */
public final class ValuesFileReader {

    /** Marks a plain scalar without a tag, whose type go-yaml's rules decide (SnakeYAML's own do not match them). */
    private static final Tag PLAIN = new Tag("tag:helm-sdk.dev,2026:plain");

    private static final Resolver NO_RESOLUTION = new Resolver() {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            return kind == NodeId.scalar && implicit ? PLAIN : super.resolve(kind, value, false);
        }
    };

    private final Operation op;
    private final String release;
    private final Path file;
    /** The file's bytes when already in memory (a chart archive's entry), else {@code null}. */
    private final byte[] given;
    private final IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
    private final IdentityHashMap<Node, Boolean> expanding = new IdentityHashMap<>();
    private int decodeCount;
    private int aliasCount;
    private int aliasDepth;

    private ValuesFileReader(Operation op, String release, Path file, byte[] given) {
        this.op = op;
        this.release = release;
        this.file = file;
        this.given = given;
    }

    /**
     * The values in {@code file}, as Helm reads them.
     *
     * @throws InvalidRequestException when the file is missing, over {@link Values#MAX_FILE_BYTES},
     *                                 nested past {@link Values#MAX_DEPTH}, not YAML, or refused by Helm's rules
     */
    public static Map<String, Object> read(Operation op, String release, Path file) {
        return new ValuesFileReader(op, release, file, null).read();
    }

    /**
     * The values in {@code bytes}, as Helm reads them (a chart's {@code values.yaml} read from its archive);
     * {@code file} only names them in messages.
     *
     * @throws InvalidRequestException as {@link #read(Operation, String, Path)} does
     */
    public static Map<String, Object> read(Operation op, String release, Path file, byte[] bytes) {
        if (bytes.length > Values.MAX_FILE_BYTES) {
            throw new ValuesFileReader(op, release, file, bytes).tooLarge(bytes.length);
        }
        return new ValuesFileReader(op, release, file, bytes).read();
    }

    private Map<String, Object> read() {
        byte[] bytes = bytes();
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Values.MAX_FILE_BYTES);
        options.setNestingDepthLimit(Values.MAX_DEPTH);
        // Aliases are not expanded while composing (an alias is the anchored node again);
        // the expansion is bounded below, by Helm's own rule.
        options.setMaxAliasesForCollections(Integer.MAX_VALUE);
        Node root;
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(new UnicodeReader(new ByteArrayInputStream(bytes))),
                    options), NO_RESOLUTION, options);
            // Helm reads the first document only.
            root = composer.checkNode() ? composer.getNode() : null;
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw invalid(at, "is not valid YAML", e.getProblem(), e);
        } catch (YAMLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("Nesting Depth exceeded")) {
                throw new InvalidRequestException(op, release, "values file " + file + " nests maps and lists deeper than "
                        + Values.MAX_DEPTH + " levels, the limit for a values file (Values.MAX_DEPTH)", e);
            }
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new InvalidRequestException(op, release, "values file " + file + " is not UTF-8 text (Helm refuses it: invalid"
                        + " UTF-8); save it as UTF-8", e);
            }
            throw invalid(null, "is not valid YAML", m, e);
        }
        count(); // go-yaml decodes the document node too
        Object top = root == null ? null : decode(root, null);
        if (top == null) {
            return new LinkedHashMap<>();
        }
        if (!(top instanceof Map)) {
            throw new InvalidRequestException(op, release, "values file " + file
                    + " must hold a YAML mapping (key: value) at the top, but holds a " + (top instanceof List ? "list" : "scalar"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) top;
        return map;
    }

    /** The file's bytes, refusing one over the limit before reading it whole. */
    private byte[] bytes() {
        if (given != null) {
            return given;
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > Values.MAX_FILE_BYTES) {
                throw tooLarge(Files.size(file));
            }
            try (InputStream in = Files.newInputStream(file)) {
                // A pipe or a growing file has no trustworthy size: read one byte past the limit at most.
                byte[] b = in.readNBytes(Values.MAX_FILE_BYTES + 1);
                if (b.length > Values.MAX_FILE_BYTES) {
                    throw tooLarge(-1);
                }
                return b;
            }
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException(op, release, "values file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidRequestException(op, release, "values file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private InvalidRequestException tooLarge(long size) {
        String is = size < 0 ? "is larger than" : "is " + size + " bytes, over";
        return new InvalidRequestException(op, release, "values file " + file + " " + is + " the size limit for a values file of "
                + Values.MAX_FILE_BYTES + " bytes (" + (Values.MAX_FILE_BYTES >> 20) + " MiB, Values.MAX_FILE_BYTES); split it or"
                + " move large data into the chart's files");
    }

    // ---- go-yaml v2's decoder, for an untyped target ------------------------------------------

    /**
     * go-yaml's {@code unmarshal}: a node seen before is an alias (SnakeYAML composes an alias as
     * the anchored node itself, and an anchor always comes before its aliases in document order).
     *
     * @param into when not null, a merge: the node must be a mapping, decoded into this map
     */
    private Object decode(Node n, Map<String, Object> into) {
        if (seen.put(n, Boolean.TRUE) == null) {
            count();
            return node(n, into);
        }
        count(); // the alias
        if (expanding.containsKey(n)) {
            throw refused(n, "anchor '" + n.getAnchor() + "' value contains itself");
        }
        expanding.put(n, Boolean.TRUE);
        aliasDepth++;
        try {
            count();
            return node(n, into);
        } finally {
            aliasDepth--;
            expanding.remove(n);
        }
    }

    private Object node(Node n, Map<String, Object> into) {
        return switch (n.getNodeId()) {
            case mapping -> mapping((MappingNode) n, into != null ? into : new LinkedHashMap<>());
            case sequence -> sequence((SequenceNode) n);
            default -> scalar((ScalarNode) n);
        };
    }

    /** go-yaml's decode.go allowedAliasRatio and its check, at every decoded node. */
    private void count() {
        decodeCount++;
        if (aliasDepth > 0) {
            aliasCount++;
        }
        if (aliasCount > 100 && decodeCount > 1000 && (double) aliasCount / decodeCount > allowedAliasRatio(decodeCount)) {
            throw new InvalidRequestException(op, release, "values file " + file + " expands aliases too much (an alias bomb?):"
                    + " after " + decodeCount + " decoded nodes, " + aliasCount + " came from aliases, over the limit of "
                    + Math.round(allowedAliasRatio(decodeCount) * 100) + "% (Helm's limit: 99% up to 400000 nodes,"
                    + " falling to 10% at 4000000); Helm refuses it with \"document contains excessive aliasing\"");
        }
    }

    private static double allowedAliasRatio(int decodeCount) {
        if (decodeCount <= 400_000) {
            return 0.99;
        }
        if (decodeCount >= 4_000_000) {
            return 0.10;
        }
        return 0.99 - 0.89 * ((double) (decodeCount - 400_000) / (4_000_000 - 400_000));
    }

    private Map<String, Object> mapping(MappingNode n, Map<String, Object> out) {
        for (NodeTuple t : n.getValue()) {
            Node k = t.getKeyNode();
            Node v = t.getValueNode();
            if (isMerge(k)) {
                merge(v, out);
                continue;
            }
            Object key = decode(k, null);
            if (key instanceof Map || key instanceof List) {
                throw refused(k, "invalid map key: a " + (key instanceof Map ? "map" : "list") + " cannot be a key");
            }
            String name = GoYamlScalars.jsonKey(key).orElseThrow(() -> refused(k, "unsupported map key of type "
                    + (key == null ? "null" : "uint64 (an integer past 9223372036854775807)") + ": Helm cannot use it as a key;"
                    + " quote it to make it a string"));
            if (key instanceof Double d && d == 0) {
                // 0.0 and -0.0 are one key in Go's map, which keeps the later key's spelling.
                out.remove(name.startsWith("-") ? "0" : "-0");
            }
            out.put(name, finite(v, decode(v, null)));
        }
        return out;
    }

    /** go-yaml's {@code isMerge}: a plain or {@code !!merge}-tagged {@code <<} that is not an alias. */
    private boolean isMerge(Node k) {
        return k instanceof ScalarNode s && "<<".equals(s.getValue()) && !seen.containsKey(k)
                && (PLAIN.equals(s.getTag()) || GoYamlScalars.MERGE.equals(s.getTag().getValue()));
    }

    /** go-yaml's merge: maps set their keys into {@code out} in place (so later keys win), lists last to first. */
    private void merge(Node v, Map<String, Object> out) {
        boolean alias = seen.containsKey(v);
        if (v.getNodeId() == NodeId.mapping) {
            decode(v, out);
        } else if (v.getNodeId() == NodeId.sequence && !alias) {
            seen.put(v, Boolean.TRUE);
            List<Node> items = ((SequenceNode) v).getValue();
            for (int i = items.size() - 1; i >= 0; i--) {
                if (items.get(i).getNodeId() != NodeId.mapping) {
                    throw refused(items.get(i), "map merge requires map or sequence of maps as the value");
                }
                decode(items.get(i), out);
            }
        } else {
            throw refused(v, "map merge requires map or sequence of maps as the value");
        }
    }

    private List<Object> sequence(SequenceNode n) {
        List<Object> out = new ArrayList<>(n.getValue().size());
        for (Node item : n.getValue()) {
            out.add(finite(item, decode(item, null)));
        }
        return out;
    }

    private Object scalar(ScalarNode s) {
        String tag = PLAIN.equals(s.getTag()) ? "" : s.getTag().getValue();
        try {
            return GoYamlScalars.resolve(tag, s.getValue()).value();
        } catch (GoYamlScalars.Refused e) {
            throw refused(s, e.getMessage());
        }
    }

    /** Helm turns values into JSON, which has no infinity or NaN: it refuses them (as keys they are text). */
    private Object finite(Node at, Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw refused(at, (d.isNaN() ? "NaN" : "infinity") + " cannot be a value: Helm turns values into JSON, which has"
                    + " neither (it fails with \"json: unsupported value\"); quote it to make it a string");
        }
        return value;
    }

    private InvalidRequestException refused(Node at, String why) {
        return invalid(at.getStartMark(), "cannot be read by Helm", why, null);
    }

    private InvalidRequestException invalid(Mark at, String what, String why, Throwable cause) {
        String where = at == null ? "" : " at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1);
        return new InvalidRequestException(op, release, "values file " + file + " " + what + where + ": " + why, cause);
    }
}
