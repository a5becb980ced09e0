package dev.helmsdk.core.internal;

import java.util.regex.Pattern;

/**
 * Kubernetes' rule for namespace names (a DNS-1123 label), in one place for the configuration that names
 * namespaces ({@code ReleaseCache.namespaces}, the upgrade advisor's namespace). The API module checks a
 * request's namespace with the same rule on its own, as it cannot see this module.
 */
public final class KubernetesNames {

    /** What a namespace name may be, for messages. */
    public static final String NAMESPACE_RULE =
            "lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit";

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private KubernetesNames() {
    }

    /** Whether {@code name} is a valid namespace name ({@code null} is not). */
    public static boolean isNamespace(String name) {
        return name != null && NAMESPACE.matcher(name).matches();
    }
}
