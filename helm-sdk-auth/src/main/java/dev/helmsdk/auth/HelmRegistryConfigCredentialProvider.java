package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialProvider;
import java.nio.file.Path;
import java.util.Map;

/**
 * Credentials from Helm's registry config ({@code helm registry login}), same format as docker's
 * {@code config.json}; name {@code helm-registry-config}, priority
 * {@link CredentialProvider#PRIORITY_CONFIG_FILES} + 10 (110): asked just before docker's file.
 *
 * <p>The file is {@code $HELM_REGISTRY_CONFIG}, else {@code $HELM_CONFIG_HOME/registry/config.json},
 * else {@code $XDG_CONFIG_HOME/helm/registry/config.json}, else
 * {@code ~/.config/helm/registry/config.json}. Read on every call, never written.
 */
public final class HelmRegistryConfigCredentialProvider extends DockerConfigCredentialProvider {

    /** Uses the Helm environment variables (ServiceLoader). */
    public HelmRegistryConfigCredentialProvider() {
        this(defaultHelmPath(System.getenv()));
    }

    /** Reads {@code file}. */
    public HelmRegistryConfigCredentialProvider(Path file) {
        super(file, "helm-registry-config", PRIORITY_CONFIG_FILES + 10);
    }

    /** The path Helm itself uses, from the given environment. */
    public static Path defaultHelmPath(Map<String, String> env) {
        java.util.Objects.requireNonNull(env, "env");
        String explicit = env.get("HELM_REGISTRY_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String helmHome = env.get("HELM_CONFIG_HOME");
        if (helmHome != null && !helmHome.isBlank()) {
            return Path.of(helmHome, "registry", "config.json");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "helm", "registry", "config.json");
        }
        return Path.of(System.getProperty("user.home"), ".config", "helm", "registry", "config.json");
    }
}
