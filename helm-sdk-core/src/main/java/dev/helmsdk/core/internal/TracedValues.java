package dev.helmsdk.core.internal;

import dev.helmsdk.api.ValuesProvenance.Origin;
import dev.helmsdk.api.ValuesProvenance.Source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A values tree whose every node knows the layer that gave it and the layers it overrode: what {@link ValuesMerger}
 * and Helm's coalescing compute, with the provenance kept along. Maps are nodes with children; everything else
 * (scalars, {@code null}, lists, which Helm replaces wholesale) is a leaf.
 */
final class TracedValues {

    /** A node: a map of nodes or a leaf value; both carry their source and what they overrode. */
    abstract static sealed class Node permits MapNode, Leaf {
        final Source source;
        final List<Source> overrode = new ArrayList<>();

        Node(Source source, List<Source> overrode) {
            this.source = source;
            this.overrode.addAll(overrode);
        }

        abstract Object plain();

        abstract Node copy();

        /** Every source that gave something in this subtree, with what they overrode, earliest first. */
        abstract void sources(Set<Source> into);
    }

    static final class MapNode extends Node {
        final Map<String, Node> children = new LinkedHashMap<>();

        MapNode(Source source, List<Source> overrode) {
            super(source, overrode);
        }

        @Override
        Object plain() {
            Map<String, Object> out = new LinkedHashMap<>();
            children.forEach((k, v) -> out.put(k, v.plain()));
            return out;
        }

        @Override
        MapNode copy() {
            MapNode m = new MapNode(source, overrode);
            children.forEach((k, v) -> m.children.put(k, v.copy()));
            return m;
        }

        @Override
        void sources(Set<Source> into) {
            into.addAll(overrode);
            if (children.isEmpty()) {
                into.add(source);
            }
            children.values().forEach(c -> c.sources(into));
        }
    }

    static final class Leaf extends Node {
        /** A scalar, {@code null}, or a list (plain Java values). */
        Object value;
        /** Elements an assignment set inside the list: their own origins. */
        final List<Origin> elements = new ArrayList<>();

        Leaf(Object value, Source source, List<Source> overrode) {
            super(source, overrode);
            this.value = value;
        }

        boolean isNull() {
            return value == null;
        }

        @Override
        Object plain() {
            return ValuesMerger.copy(value);
        }

        @Override
        Leaf copy() {
            Leaf l = new Leaf(ValuesMerger.copy(value), source, overrode);
            l.elements.addAll(elements);
            return l;
        }

        @Override
        void sources(Set<Source> into) {
            into.addAll(overrode);
            into.add(source);
            elements.forEach(e -> {
                into.addAll(e.overrode());
                into.add(e.source());
            });
        }
    }

    private TracedValues() {
    }

    /** A tree of {@code value} all given by {@code source}. */
    @SuppressWarnings("unchecked")
    static Node of(Object value, Source source, List<Source> overrode) {
        if (value instanceof Map<?, ?> m) {
            MapNode node = new MapNode(source, overrode);
            ((Map<String, Object>) m).forEach((k, v) -> node.children.put(k, of(v, source, List.of())));
            return node;
        }
        return new Leaf(ValuesMerger.copy(value), source, overrode);
    }

    /** What {@code loser} held, as the sources it overrode. */
    static List<Source> lost(Node loser) {
        if (loser == null) {
            return List.of();
        }
        Set<Source> s = new LinkedHashSet<>();
        loser.sources(s);
        return List.copyOf(s);
    }

    /** Helm's mergeMaps of one layer ({@code -f} file or map): maps merge, anything else replaces. */
    @SuppressWarnings("unchecked")
    static void merge(MapNode dst, Map<String, Object> src, Source source) {
        for (Map.Entry<String, Object> e : src.entrySet()) {
            Node mine = dst.children.get(e.getKey());
            if (mine instanceof MapNode m && e.getValue() instanceof Map<?, ?> theirs) {
                merge(m, (Map<String, Object>) theirs, source);
            } else {
                dst.children.put(e.getKey(), of(e.getValue(), source, lost(mine)));
            }
        }
    }

    /** An assignment, as {@link ValuesMerger#apply}: maps are created along the path; a path into a list edits the list. */
    static void assign(MapNode root, List<Object> path, Object value, Source source, String pointer) {
        MapNode at = root;
        for (int i = 0; i < path.size(); i++) {
            String key = (String) path.get(i);
            boolean last = i == path.size() - 1;
            Node child = at.children.get(key);
            if (last) {
                at.children.put(key, of(value, source, lost(child)));
                return;
            }
            if (path.get(i + 1) instanceof Integer) {
                Leaf list = child instanceof Leaf l && l.value instanceof List<?> ? l : new Leaf(new ArrayList<>(), source, lost(child));
                at.children.put(key, list);
                Map<String, Object> holder = new LinkedHashMap<>();
                holder.put(key, list.value);
                ValuesMerger.apply(holder, path.subList(i, path.size()), value);
                List<Source> before = list.source == source ? List.of() : List.of(list.source);
                list.elements.add(new Origin(pointer, ValuesMerger.copy(value), source, before, false));
                list.value = holder.get(key);
                return;
            }
            if (!(child instanceof MapNode m)) {
                MapNode fresh = new MapNode(source, lost(child));
                at.children.put(key, fresh);
                at = fresh;
            } else {
                at = m;
            }
        }
    }

    /** The entries of a tree, in document order (deleted keys are added by the coalescing). */
    static void origins(Node node, String pointer, List<Origin> into) {
        if (node instanceof MapNode m) {
            if (m.children.isEmpty() && !pointer.isEmpty()) {
                into.add(new Origin(pointer, Map.of(), m.source, m.overrode, false));
            }
            m.children.forEach((k, v) -> origins(v, pointer + "/" + escape(k), into));
        } else {
            Leaf l = (Leaf) node;
            into.add(new Origin(pointer, l.plain(), l.source, l.overrode, false));
            into.addAll(l.elements);
        }
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** JSON-pointer form of a {@code --set} path. */
    static String pointer(List<Object> segments) {
        StringBuilder b = new StringBuilder();
        segments.forEach(s -> b.append('/').append(s instanceof String k ? escape(k) : s));
        return b.toString();
    }
}
