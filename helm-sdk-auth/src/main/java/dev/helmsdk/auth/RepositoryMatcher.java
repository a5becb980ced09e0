package dev.helmsdk.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Matches repository URLs against configured keys. A key is {@code host}, {@code host:port},
 * {@code host[:port]/path} or a full URL ({@code https://host[:port]/path}, {@code oci://...}).
 * The scheme of a key is ignored. Hosts compare case-insensitively; a key without a port matches
 * only a repository URL without an explicit port; a key with a port matches that port. A key path
 * is a prefix on segment boundaries ({@code /charts} matches {@code /charts/app}, not
 * {@code /charts2}). Among several matches the longest path wins.
 */
final class RepositoryMatcher {

    private RepositoryMatcher() {
    }

    /** Host, port (or -1) and path (no trailing slash, "" for the root) of a key or URL. */
    public record Target(String host, int port, String path) {
        /** {@code host} or {@code host:port}. */
        public String authority() {
            return port < 0 ? host : host + ":" + port;
        }
    }

    /** Parses a repository URL. */
    public static Target parse(URI uri) {
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            // e.g. "registry.example.com:5000/x" given without a scheme
            return parseKey(uri.toString());
        }
        return new Target(host.toLowerCase(Locale.ROOT), port, normalizePath(uri.getPath()));
    }

    /** Parses a key as found in configuration (with or without scheme). */
    public static Target parseKey(String key) {
        String k = key.trim();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        String authority = slash < 0 ? k : k.substring(0, slash);
        String path = slash < 0 ? "" : k.substring(slash);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        int port = -1;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
                authority = authority.substring(0, colon);
            } catch (NumberFormatException e) {
                // not a port: leave as is
            }
        }
        return new Target(authority.toLowerCase(Locale.ROOT), port, normalizePath(path));
    }

    private static String normalizePath(String path) {
        if (path == null) {
            return "";
        }
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Whether {@code key} applies to {@code repo}; {@code ignoreKeyPath} compares host[:port] only. */
    public static boolean matches(Target key, Target repo, boolean ignoreKeyPath) {
        if (!key.host().equals(repo.host()) || key.port() != repo.port()) {
            return false;
        }
        if (ignoreKeyPath || key.path().isEmpty()) {
            return true;
        }
        return repo.path().equals(key.path()) || repo.path().startsWith(key.path() + "/");
    }

    /** The value of the most specific matching key. */
    public static <V> Optional<V> bestMatch(Map<String, V> byKey, URI repository, boolean ignoreKeyPath) {
        Target repo = parse(repository);
        V best = null;
        int bestLength = -1;
        for (Map.Entry<String, V> e : byKey.entrySet()) {
            Target key = parseKey(e.getKey());
            if (matches(key, repo, ignoreKeyPath)) {
                int length = ignoreKeyPath ? 0 : key.path().length();
                if (length > bestLength) {
                    best = e.getValue();
                    bestLength = length;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
