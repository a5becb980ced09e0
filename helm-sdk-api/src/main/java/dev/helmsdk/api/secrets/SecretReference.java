package dev.helmsdk.api.secrets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed secret reference, helmfile vals' grammar:
 * {@code ref+<scheme>://<path>[?<params>][#/<fragment>][+]} (or {@code secretref+...}), for
 * instance {@code ref+vault://secret/db?version=2#/password}. Holds only what was written, never a
 * value: {@link #toString()} is the reference's text.
 */
public final class SecretReference {

    /** vals' reference: prefix, {@code +}, a scheme without {@code +} or {@code :}, {@code ://}, a body without {@code +} or newline. */
    private static final Pattern WHOLE = Pattern.compile("((?:secret)?ref)\\+([^+:]*)://([^+\\n]+)\\+?");
    /** Go's url.Parse: a scheme is a letter followed by letters, digits, {@code -} or {@code .} ({@code +} ends a reference). */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9.-]*");

    private final String text;
    private final String scheme;
    private final String path;
    private final Map<String, List<String>> params;
    private final String fragment;

    private SecretReference(String text, String scheme, String path, Map<String, List<String>> params, String fragment) {
        this.text = text;
        this.scheme = scheme;
        this.path = path;
        this.params = params;
        this.fragment = fragment;
    }

    /**
     * Parses one reference, the whole of {@code text} (an optional {@code +} terminator included).
     *
     * @param text the reference, e.g. {@code ref+envsubst://$PW}
     * @return the parsed reference
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static SecretReference parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = WHOLE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a secret reference: expected ref+<scheme>://<path>[?params][#/fragment][+]");
        }
        String scheme = m.group(2);
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("'" + text + "' has " + (scheme.isEmpty() ? "no scheme" : "an invalid scheme '" + scheme + "'")
                    + ": a scheme is a letter followed by letters, digits, '-' or '.'");
        }
        String rest = m.group(3);
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        Map<String, List<String>> params = Map.of();
        int question = rest.indexOf('?');
        if (question >= 0) {
            params = query(text, rest.substring(question + 1));
            rest = rest.substring(0, question);
        }
        String canonical = m.group(1) + "+" + scheme + "://" + m.group(3);
        return new SecretReference(canonical, scheme.toLowerCase(java.util.Locale.ROOT), decode(text, rest), params,
                fragment == null ? null : decode(text, fragment));
    }

    private static Map<String, List<String>> query(String text, String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (pair.indexOf(';') >= 0) {
                throw new IllegalArgumentException("'" + text + "' has a ';' in its query: separate parameters with '&'");
            }
            int eq = pair.indexOf('=');
            String key = decode(text, eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(text, pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        params.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(params);
    }

    private static String decode(String text, String part) {
        if (part.indexOf('%') < 0) {
            return part;
        }
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' has an invalid %-escape: " + e.getMessage(), e);
        }
    }

    /** The reference as written, without a {@code +} terminator. */
    public String text() {
        return text;
    }

    /** The scheme, lower case ({@code vault} in {@code ref+vault://...}). */
    public String scheme() {
        return scheme;
    }

    /** What comes between {@code ://} and the query or fragment, %-decoded ({@code secret/db}; {@code /etc/x} for {@code file:///etc/x}). */
    public String path() {
        return path;
    }

    /** The query parameters, in order, each with its values. */
    public Map<String, List<String>> params() {
        return params;
    }

    /** The first value of query parameter {@code name}, if given. */
    public Optional<String> param(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = params.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The fragment without its {@code #} ({@code /a/b}), if given. */
    public Optional<String> fragment() {
        return Optional.ofNullable(fragment);
    }

    /** This reference without its fragment: what names the whole secret ({@code ref+vault://secret/db} of {@code ref+vault://secret/db#/password}). */
    public SecretReference withoutFragment() {
        if (fragment == null) {
            return this;
        }
        return parse(text.substring(0, text.indexOf('#')));
    }

    /** The fragment's keys, a path into a tree: {@code #/a/b} is {@code [a, b]}; empty without a fragment. */
    public List<String> fragmentKeys() {
        if (fragment == null) {
            return List.of();
        }
        String f = fragment.startsWith("/") ? fragment.substring(1) : fragment;
        return f.isEmpty() ? List.of() : List.copyOf(Arrays.asList(f.split("/", -1)));
    }

    /**
     * The part of {@code tree} (maps and lists, as YAML or JSON parse) the fragment selects: the
     * whole tree without one. A list is indexed by number.
     *
     * @param tree the resolved tree
     * @return what the fragment selects, empty when a key is missing
     */
    public Optional<Object> select(Object tree) {
        Object at = Objects.requireNonNull(tree, "tree");
        for (String key : fragmentKeys()) {
            if (at instanceof Map<?, ?> map && map.containsKey(key)) {
                at = map.get(key);
            } else if (at instanceof List<?> list && key.matches("\\d{1,9}") && Integer.parseInt(key) < list.size()) {
                at = list.get(Integer.parseInt(key));
            } else {
                return Optional.empty();
            }
            if (at == null) {
                return Optional.empty();
            }
        }
        return Optional.of(at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretReference r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The reference's text: never a value. */
    @Override
    public String toString() {
        return text;
    }
}
