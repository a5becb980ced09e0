package dev.helmsdk.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Environment variable name prefixes for a repository URL. */
final class EnvNames {

    private EnvNames() {
    }

    /** Every character that is not A-Z or 0-9 becomes '_', letters are upper-cased. */
    public static String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toUpperCase(Locale.ROOT).toCharArray()) {
            sb.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return sb.toString();
    }

    /**
     * Prefixes to try, most specific first: with the port when the URL has one, then the host
     * alone. E.g. {@code oci://registry.example.com:5000/charts} gives
     * {@code HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_} then {@code HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_}.
     */
    public static List<String> prefixes(String base, URI repository) {
        RepositoryMatcher.Target t = RepositoryMatcher.parse(repository);
        List<String> out = new ArrayList<>(2);
        if (t.port() >= 0) {
            out.add(base + normalize(t.host()) + "_" + t.port() + "_");
        }
        out.add(base + normalize(t.host()) + "_");
        return out;
    }
}
