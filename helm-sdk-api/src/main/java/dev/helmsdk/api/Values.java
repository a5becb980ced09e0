package dev.helmsdk.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An immutable, ordered set of values for a chart, merged the way Helm merges them:
 * <ol>
 *   <li>the chart's own {@code values.yaml};</li>
 *   <li>then every {@linkplain #file(Path) file} and {@linkplain #map(Map) map}, in the order added
 *       (like repeated {@code -f}); maps are merged deeply, anything else is replaced;</li>
 *   <li>then every {@linkplain #set(String, Object) set} in the order added (like {@code --set}),
 *       whatever order they were added in relative to files and maps.</li>
 * </ol>
 * Unlike {@code --set}, a value keeps its Java type: {@code set("tag", "1.10")} stays a string
 * and {@code set("replicas", 3)} a number. A {@code null} value removes the key, as in Helm.
 *
 * <p><b>Files are read exactly as Helm reads {@code -f}</b> (go-yaml v2 under sigs.k8s.io/yaml,
 * proven by a differential test against Helm itself): YAML 1.1 booleans ({@code yes/no/on/off/y/n},
 * as keys too, where they become {@code "true"}/{@code "false"}), Go's integers ({@code 0777} is
 * octal, {@code 0x1F} hex), anchors, aliases and merge keys ({@code <<: *base}, where a key after
 * {@code <<} wins and one before it loses, as in Helm), {@code !!binary} decoded, duplicate keys
 * (the last wins), only the first document of a file, timestamps kept as text, numeric and boolean
 * keys turned into strings. What Helm refuses is refused before anything is sent, with an
 * {@link InvalidRequestException} naming the file, line and column: {@code .inf} or {@code .nan}
 * as a value, a null or list as a key, an alias bomb (Helm's own limit on alias expansion), an
 * anchor containing itself, a list index over {@value #MAX_LIST_INDEX} in a path. Helm turns
 * every number into a 64-bit float, so integers past 2^53 lose precision there, with the SDK too.
 *
 * <p><b>Limits</b>: a values file over {@value #MAX_FILE_BYTES} bytes (4 MiB: Helm's release
 * record, values included, must fit a 1 MiB Secret compressed), or nesting maps and lists deeper
 * than {@value #MAX_DEPTH} levels, is refused with an {@link InvalidRequestException} naming the
 * file and the limit. The size is checked before the file is read into memory.
 *
 * <p><b>Deliberate differences from the Helm CLI</b>: {@link #set(String, Object)} keeps the Java
 * type where {@code --set} parses the text ({@code set("flag", "true")} is the string
 * {@code "true"}, {@code --set flag=true} a boolean; use {@code set("flag", true)} for the
 * boolean); Helm accepts nesting up to 10000 levels, the SDK up to {@value #MAX_DEPTH}; and
 * rendering without a cluster ({@code template()}) assumes Kubernetes v1.35.0 where helm-java
 * assumes v1.20.0 (set another with {@link ChartRequest#kubeVersion(String)}).
 *
 * <p>Accepted value types: {@link String}, {@link Boolean}, {@link Number} (integral and decimal),
 * {@code null}, {@link Map} with {@link String} keys and {@link List} of accepted types. Anything
 * else is rejected when added, with the path in the message (never the value).
 */
public final class Values {

    /** The largest values file accepted, in bytes (4 MiB). */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** How deep maps and lists may nest in a values file (bounded so that reading it cannot overflow a thread's stack). */
    public static final int MAX_DEPTH = 200;
    /** The largest list index in a {@linkplain #set(String, Object) path}: Helm's {@code --set} limit. */
    public static final int MAX_LIST_INDEX = 65536;

    private static final Values EMPTY = new Values(List.of(), List.of());
    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,6})]");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A file or a map, merged in order. */
    public sealed interface Layer permits FromFile, FromMap {
    }

    /** Values read from a YAML file. */
    public record FromFile(Path path) implements Layer {
        /** Requires a non-null path. */
        public FromFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Values given as a map (deep, unmodifiable copy). */
    public record FromMap(Map<String, Object> values) implements Layer {
        /** Copies the map deeply. */
        public FromMap {
            values = copyMap(values, "");
        }
    }

    /**
     * One {@code --set}-style assignment.
     *
     * @param path  dotted path: {@code a.b.c}, {@code list[0].name}; a literal dot is written {@code \.}
     * @param value the value, kept with its Java type
     */
    public record SetValue(String path, Object value) {
        /** Validates the path syntax and the value's type. */
        public SetValue {
            Objects.requireNonNull(path, "path");
            parsePath(path);
            value = copyValue(value, path);
        }

        /** The path split into keys ({@link String}) and list indices ({@link Integer}). */
        public List<Object> segments() {
            return parsePath(path);
        }
    }

    private final List<Layer> layers;
    private final List<SetValue> sets;

    private Values(List<Layer> layers, List<SetValue> sets) {
        this.layers = layers;
        this.sets = sets;
    }

    /** No values: the chart's defaults apply. */
    public static Values empty() {
        return EMPTY;
    }

    /**
     * The values of one environment kept the way teams keep them: {@code dir/values.yaml} as the base (left out when
     * {@code dir} is a chart, whose {@code values.yaml} Helm already takes as the defaults, or when there is none),
     * then {@code dir/values-<env>.yaml} over it. Combine with {@link #and(Values)}, e.g. to add assignments after.
     *
     * @param dir a directory holding {@code values-<env>.yaml} files, or a chart directory holding them
     * @param env the environment's name, e.g. {@code prod}: letters, digits, {@code .}, {@code _}, {@code -}
     * @throws InvalidRequestException when the name is not one, or {@code values-<env>.yaml} does not exist
     *                                 (the message lists the environments {@code dir} has), is a directory or
     *                                 cannot be read
     */
    public static Values environment(Path dir, String env) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(env, "env");
        if (!ENV_NAME.matcher(env).matches()) {
            throw invalid("environment name '" + env + "' must be letters, digits, '.', '_' or '-'");
        }
        Path file = dir.resolve("values-" + env + ".yaml");
        if (java.nio.file.Files.isDirectory(file)) {
            throw invalid("environment '" + env + "': " + file + " is a directory, not a values file; make it a YAML file");
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            List<String> known = environments(dir);
            throw invalid("environment '" + env + "' has no values file " + file + "; environments in " + dir + ": "
                    + (known.isEmpty() ? "none (name files values-<env>.yaml)" : String.join(", ", known)));
        }
        if (!java.nio.file.Files.isReadable(file)) {
            throw invalid("environment '" + env + "': values file " + file + " cannot be read (permissions); let this process read it");
        }
        Path base = dir.resolve("values.yaml");
        boolean chart = java.nio.file.Files.isRegularFile(dir.resolve("Chart.yaml"));
        Values out = !chart && java.nio.file.Files.isRegularFile(base) ? empty().file(base) : empty();
        return out.file(file);
    }

    /**
     * The environments {@code dir} holds: {@code <env>} of every {@code values-<env>.yaml} file (not a directory of
     * that name), sorted; empty when none (or no such directory).
     *
     * @throws InvalidRequestException when {@code dir} cannot be listed (permissions), naming it
     */
    public static List<String> environments(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("values-") && n.endsWith(".yaml") && n.length() > "values-.yaml".length())
                    .map(n -> n.substring("values-".length(), n.length() - ".yaml".length()))
                    .filter(n -> ENV_NAME.matcher(n).matches()).sorted().toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new InvalidRequestException(Operation.CONFIGURE, null, "the environments of " + dir + " cannot be listed: " + e.getMessage()
                    + "; let this process read the directory", e);
        }
    }

    /** A copy with a YAML values file added after the files and maps already present. */
    public Values file(Path path) {
        return withLayer(new FromFile(path));
    }

    /** A copy with a map of values added after the files and maps already present. */
    public Values map(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) values;
        return withLayer(new FromMap(m));
    }

    /** A copy with one assignment added after the assignments already present. */
    public Values set(String path, Object value) {
        List<SetValue> s = new ArrayList<>(sets);
        s.add(new SetValue(path, value));
        return new Values(layers, List.copyOf(s));
    }

    /** A copy with everything of {@code other} added after this one's (its layers after ours, its sets after ours). */
    public Values and(Values other) {
        Objects.requireNonNull(other, "other");
        List<Layer> l = new ArrayList<>(layers);
        l.addAll(other.layers);
        List<SetValue> s = new ArrayList<>(sets);
        s.addAll(other.sets);
        return new Values(List.copyOf(l), List.copyOf(s));
    }

    /** Files and maps, in merge order. */
    public List<Layer> layers() {
        return layers;
    }

    /** Assignments, in the order they are applied (after all layers). */
    public List<SetValue> sets() {
        return sets;
    }

    /** {@code true} when nothing was added. */
    public boolean isEmpty() {
        return layers.isEmpty() && sets.isEmpty();
    }

    /** Lists the sources without their values, which may be secret. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Values[");
        for (Layer l : layers) {
            b.append(l instanceof FromFile f ? "file " + f.path() : "map " + ((FromMap) l).values().keySet()).append(", ");
        }
        for (SetValue s : sets) {
            b.append("set ").append(s.path()).append(", ");
        }
        if (!isEmpty()) {
            b.setLength(b.length() - 2);
        }
        return b.append(']').toString();
    }

    private Values withLayer(Layer layer) {
        List<Layer> l = new ArrayList<>(layers);
        l.add(layer);
        return new Values(List.copyOf(l), sets);
    }

    /** Splits {@code a.b[2].c\.d} into {@code [a, b, 2, c.d]}; rejects empty keys and bad indices. */
    static List<Object> parsePath(String path) {
        if (path == null || path.isBlank()) {
            throw invalid("a values path must not be empty");
        }
        List<Object> out = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        int i = 0;
        boolean afterIndex = false;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                key.append(path.charAt(i + 1));
                i += 2;
            } else if (c == '.') {
                if (key.length() == 0 && !afterIndex) {
                    throw invalid("values path '" + path + "' has an empty key at position " + i);
                }
                if (key.length() > 0) {
                    out.add(key.toString());
                    key.setLength(0);
                }
                afterIndex = false;
                i++;
            } else if (c == '[') {
                var m = INDEX.matcher(path).region(i, path.length());
                if (!m.lookingAt()) {
                    throw invalid("values path '" + path + "' has a malformed list index at position " + i + "; write e.g. list[0]");
                }
                if (key.length() > 0) {
                    out.add(key.toString());
                    key.setLength(0);
                } else if (out.isEmpty()) {
                    throw invalid("values path '" + path + "' must start with a key, not a list index");
                }
                int index = Integer.parseInt(m.group(1));
                if (index > MAX_LIST_INDEX) {
                    throw invalid("values path '" + path + "' has list index " + index + ", over the limit of "
                            + MAX_LIST_INDEX + " (Helm's, for --set)");
                }
                out.add(index);
                i = m.end();
                afterIndex = true;
                if (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
                    throw invalid("values path '" + path + "' needs a '.' after the list index at position " + (i - 1));
                }
            } else {
                if (afterIndex) {
                    throw invalid("values path '" + path + "' needs a '.' after the list index");
                }
                key.append(c);
                i++;
            }
        }
        if (key.length() > 0) {
            out.add(key.toString());
        } else if (!afterIndex) {
            throw invalid("values path '" + path + "' ends with an empty key");
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, Object> copyMap(Map<?, ?> in, String where) {
        Objects.requireNonNull(in, "values");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : in.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw invalid("values key under '" + where + "' must be a String, was " + typeName(e.getKey()));
            }
            String path = where.isEmpty() ? k : where + "." + k;
            out.put(k, copyValue(e.getValue(), path));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object copyValue(Object v, String path) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Double || v instanceof Float || v instanceof BigInteger || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            return copyMap(m, path);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(copyValue(l.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        throw invalid("value at '" + path + "' has unsupported type " + typeName(v)
                + "; use String, Boolean, a Number, null, Map<String, ?> or List");
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(Operation.CONFIGURE, null, message);
    }
}
