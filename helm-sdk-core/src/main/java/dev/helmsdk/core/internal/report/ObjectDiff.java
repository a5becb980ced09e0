package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.report.FieldChange;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The field-level difference of two versions of one object, normalised so that what no change makes differ does
 * not show: managed fields, resource version, generation, uid, creation time and status are left out; numbers
 * compare by value, quantities ({@code 0.5} and {@code 500m}, {@code 1Gi} and {@code 1024Mi}) too; an empty map or
 * list is the same as none. A Secret's {@code data}, {@code stringData} and kubectl's last-applied annotation (a copy of
 * them) show as {@code (sensitive, N bytes)}.
 */
final class ObjectDiff {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SERVER_METADATA = Set.of("managedFields", "resourceVersion", "generation", "uid",
            "creationTimestamp", "selfLink");
    /** Map keys whose values are quantities: resources, quota, limit ranges, volume sizes. */
    private static final Set<String> QUANTITY_PARENTS = Set.of("limits", "requests", "hard", "used", "capacity", "allocatable",
            "default", "defaultRequest", "max", "min", "maxLimitRequestRatio", "overhead");
    private static final String LAST_APPLIED = "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration";
    private static final Set<String> QUANTITY_KEYS = Set.of("sizeLimit", "storage");

    private ObjectDiff() {
    }

    /** {@code object} without what the server keeps for itself (a copy; the object is left as it is). */
    static Map<String, Object> normalise(Map<String, Object> object) {
        Map<String, Object> out = new LinkedHashMap<>(object);
        out.remove("status");
        if (out.get("metadata") instanceof Map<?, ?> m) {
            Map<Object, Object> meta = new LinkedHashMap<>(m);
            SERVER_METADATA.forEach(meta::remove);
            out.put("metadata", meta);
        }
        return out;
    }

    /** Each leaf that differs between {@code before} and {@code after}, by JSON pointer; Secret data masked when {@code secret}. */
    static List<FieldChange> diff(Map<String, Object> before, Map<String, Object> after, boolean secret) {
        List<FieldChange> out = new ArrayList<>();
        walk("", normalise(before), normalise(after), secret, out);
        return out;
    }

    private static void walk(String pointer, Object a, Object b, boolean secret, List<FieldChange> out) {
        if ((a instanceof Map<?, ?> || a == null) && (b instanceof Map<?, ?> || b == null) && (a != null || b != null)) {
            Map<?, ?> ma = a instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> mb = b instanceof Map<?, ?> m ? m : Map.of();
            Set<Object> keys = new LinkedHashSet<>(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                walk(JsonPointers.child(pointer, String.valueOf(k)), ma.get(k), mb.get(k), secret, out);
            }
            return;
        }
        if ((a instanceof List<?> || a == null) && (b instanceof List<?> || b == null) && (a != null || b != null)) {
            List<?> la = a instanceof List<?> l ? l : List.of();
            List<?> lb = b instanceof List<?> l ? l : List.of();
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                walk(pointer + "/" + i, i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, secret, out);
            }
            return;
        }
        if (same(pointer, a, b)) {
            return;
        }
        // kubectl apply keeps the whole Secret, data included, in this annotation
        boolean sensitive = secret && (pointer.startsWith("/data/") || pointer.startsWith("/stringData/") || pointer.equals(LAST_APPLIED));
        out.add(new FieldChange(pointer, shown(pointer, a, sensitive), shown(pointer, b, sensitive)));
    }

    /**
     * {@code after} without the map fields {@code previous} (the deployed revision's manifest) set that {@code rendered}
     * no longer sets: Helm's three-way merge deletes them, where a server-side apply by another field manager keeps
     * them. Lists are left as they are (their merge keys decide). A copy; the arguments are left as they are.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutDropped(Map<String, Object> after, Map<?, ?> previous, Map<?, ?> rendered) {
        Map<String, Object> out = new LinkedHashMap<>(after);
        for (Map.Entry<?, ?> e : previous.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object now = rendered.get(key);
            if (e.getValue() instanceof Map<?, ?> p && (now == null || now instanceof Map<?, ?>) && out.get(key) instanceof Map<?, ?> a) {
                // only what the revision set goes: others' keys in the same map (Helm's own labels) stay
                out.put(key, withoutDropped((Map<String, Object>) a, p, now == null ? Map.of() : (Map<?, ?>) now));
            } else if (now == null) {
                out.remove(key);
            }
        }
        return out;
    }

    /** Whether every leaf of {@code wanted} is in {@code live} with the same value (what the server defaults aside). */
    static boolean covers(String pointer, Object live, Object wanted) {
        if (wanted == null) {
            return true;
        }
        if (wanted instanceof Map<?, ?> w) {
            if (!(live instanceof Map<?, ?> l)) {
                return w.isEmpty();
            }
            return w.entrySet().stream().allMatch(e -> covers(JsonPointers.child(pointer, String.valueOf(e.getKey())),
                    l.get(e.getKey()), e.getValue()));
        }
        if (wanted instanceof List<?> w) {
            if (!(live instanceof List<?> l)) {
                return w.isEmpty();
            }
            if (l.size() != w.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!covers(pointer + "/" + i, l.get(i), w.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return same(pointer, live, wanted);
    }

    /** Two leaves are the same value: numbers and, where a quantity is expected, quantities by value. */
    static boolean same(String pointer, Object a, Object b) {
        if (a == null || b == null) {
            return a == b || isEmptyContainer(a) || isEmptyContainer(b);
        }
        if (a instanceof Number na && b instanceof Number nb) {
            return new BigDecimal(na.toString()).compareTo(new BigDecimal(nb.toString())) == 0;
        }
        if (quantity(pointer) && (a instanceof String || a instanceof Number) && (b instanceof String || b instanceof Number)) {
            try {
                return Quantity.getAmountInBytes(new Quantity(a.toString()))
                        .compareTo(Quantity.getAmountInBytes(new Quantity(b.toString()))) == 0;
            } catch (RuntimeException e) {
                // not quantities after all: compare as they are
            }
        }
        if (a instanceof Map<?, ?> || a instanceof List<?> || b instanceof Map<?, ?> || b instanceof List<?>) {
            return covers(pointer, a, b) && covers(pointer, b, a);
        }
        return a.equals(b);
    }

    private static boolean isEmptyContainer(Object o) {
        return o instanceof Map<?, ?> m && m.isEmpty() || o instanceof List<?> l && l.isEmpty();
    }

    private static boolean quantity(String pointer) {
        int last = pointer.lastIndexOf('/');
        if (last < 0) {
            return false;
        }
        String key = pointer.substring(last + 1);
        int before = pointer.lastIndexOf('/', last - 1);
        String parent = before < 0 ? "" : pointer.substring(before + 1, last);
        return QUANTITY_KEYS.contains(key) || QUANTITY_PARENTS.contains(parent);
    }

    private static Optional<String> shown(String pointer, Object value, boolean sensitive) {
        if (value == null) {
            return Optional.empty();
        }
        if (sensitive) {
            return Optional.of("(sensitive, " + bytes(pointer, value) + " bytes)");
        }
        try {
            return Optional.of(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            return Optional.of(String.valueOf(value));
        }
    }

    /** The size of a Secret value: {@code data} is base64, {@code stringData} plain text. */
    private static int bytes(String pointer, Object value) {
        String text = String.valueOf(value);
        if (pointer.startsWith("/data/")) {
            try {
                return Base64.getDecoder().decode(text.trim()).length;
            } catch (IllegalArgumentException e) {
                // not base64: the server would refuse it; count what is there
            }
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
