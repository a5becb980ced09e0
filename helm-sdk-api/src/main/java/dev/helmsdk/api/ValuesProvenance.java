package dev.helmsdk.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values a chart renders with, as Helm computes them (the chart's defaults, its subcharts' and the globals
 * coalesced under the user's files, maps and assignments), and for each final value which layer gave it and which
 * layers it overrode. Computed from the files, never from a cluster, and before any secret reference is resolved:
 * a value {@code ref+vault://...} is shown as that reference ({@link Origin#secretReference()}).
 *
 * @param values  the computed values (what the templates see as {@code .Values})
 * @param origins one entry per final value, in document order: every scalar, {@code null}, list (a list is replaced
 *                wholesale in Helm, so it is one value; an element an assignment set, {@code list[1]}, has its own
 *                entry too) and empty map; then one entry per key a {@code null} deleted ({@link Origin#deleted()})
 */
public record ValuesProvenance(Map<String, Object> values, List<Origin> origins) {

    /** Copies both, unmodifiable. */
    public ValuesProvenance {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        origins = List.copyOf(Objects.requireNonNull(origins, "origins"));
    }

    /** Where a value came from. */
    public sealed interface Source permits ChartDefault, File, ValuesMap, Assignment {
    }

    /**
     * The {@code values.yaml} of the chart or of a subchart.
     *
     * @param chart the chart's path from the top chart: {@code ""} for the top chart, {@code "redis"} for its subchart
     */
    public record ChartDefault(String chart) implements Source {
        /** Requires a chart path. */
        public ChartDefault {
            Objects.requireNonNull(chart, "chart");
        }
    }

    /** A values file, as given ({@code -f}). */
    public record File(Path path) implements Source {
        /** Requires a path. */
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A map given with {@link Values#map(Map)}.
     *
     * @param position its place among the files and maps, from 0
     */
    public record ValuesMap(int position) implements Source {
    }

    /**
     * An assignment ({@link Values#set(String, Object)}, like {@code --set}).
     *
     * @param path the assignment's path as written
     */
    public record Assignment(String path) implements Source {
        /** Requires a path. */
        public Assignment {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * One final value, or one deleted key.
     *
     * @param pointer   where, as a JSON pointer ({@code /image/tag}, {@code /list/0}; {@code ~1} for a {@code /} in a key)
     * @param value     the value as written (for a reference its text; {@code null} for a deleted key)
     * @param source    the layer that gave it; for a deleted key, the layer whose {@code null} deleted it
     * @param overrode  the layers that had a value here before and lost, earliest first (a map replaced by a scalar
     *                  lists every layer that gave a value inside it)
     * @param deleted   whether a {@code null} removed this key (Helm's way to unset a chart default)
     */
    public record Origin(String pointer, Object value, Source source, List<Source> overrode, boolean deleted) {
        /** Requires a pointer and a source; copies the list. */
        public Origin {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(source, "source");
            overrode = List.copyOf(Objects.requireNonNull(overrode, "overrode"));
        }

        /** Whether the value is a secret reference ({@code ref+<scheme>://...} or {@code secretref+...}), shown unresolved. */
        public boolean secretReference() {
            return value instanceof String s && (s.startsWith("ref+") || s.startsWith("secretref+")) && s.contains("://");
        }

        /** {@code /image/tag <- file values-prod.yaml (overrode chart defaults)}; the value is left out, which may be secret. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(pointer).append(deleted ? " deleted by " : " <- ").append(describe(source));
            if (!overrode.isEmpty()) {
                List<String> names = new ArrayList<>();
                overrode.forEach(s -> names.add(describe(s)));
                b.append(" (overrode ").append(String.join(", ", names)).append(')');
            }
            return b.toString();
        }
    }

    /** The entry for the value or deleted key at {@code pointer}. */
    public Optional<Origin> at(String pointer) {
        Objects.requireNonNull(pointer, "pointer");
        return origins.stream().filter(o -> o.pointer().equals(pointer)).findFirst();
    }

    /** The keys a {@code null} deleted. */
    public List<Origin> deleted() {
        return origins.stream().filter(Origin::deleted).toList();
    }

    /** A short name of a source: {@code chart defaults}, {@code chart defaults of redis}, {@code file x.yaml}, {@code map #1}, {@code set a.b}. */
    public static String describe(Source source) {
        Objects.requireNonNull(source, "source");
        if (source instanceof ChartDefault c) {
            return c.chart().isEmpty() ? "chart defaults" : "chart defaults of " + c.chart();
        }
        if (source instanceof File f) {
            return "file " + f.path();
        }
        if (source instanceof ValuesMap m) {
            return "map #" + m.position();
        }
        return "set " + ((Assignment) source).path();
    }

    /** One line per entry, without values (which may be secret). */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ValuesProvenance[");
        for (Origin o : origins) {
            b.append("\n  ").append(o);
        }
        return b.append(origins.isEmpty() ? "]" : "\n]").toString();
    }
}
