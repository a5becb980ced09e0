package dev.helmsdk.core.internal;

import java.nio.file.Path;

/**
 * How Helm reaches the cluster: a kubeconfig file, or kubeconfig contents asked for at each call
 * (so that a credential the SDK hands Helm is the current one, not the one of build time).
 */
public record KubeAccess(Path file, java.util.function.Supplier<String> contents) {

    /** Helm reads this file itself at each call. */
    public static KubeAccess ofFile(Path file) {
        return new KubeAccess(java.util.Objects.requireNonNull(file, "file"), null);
    }

    /** Helm gets these contents at each call. */
    public static KubeAccess ofContents(String yaml) {
        java.util.Objects.requireNonNull(yaml, "yaml");
        return new KubeAccess(null, () -> yaml);
    }

    /** Helm gets what this returns at each call. */
    public static KubeAccess ofContents(java.util.function.Supplier<String> yaml) {
        return new KubeAccess(null, java.util.Objects.requireNonNull(yaml, "yaml"));
    }

    /** The contents for the call about to start, or {@code null} with a file. */
    public String contentsNow() {
        return contents == null ? null : contents.get();
    }

    /** Never the contents: they hold credentials. */
    @Override
    public String toString() {
        return file != null ? "KubeAccess[file=" + file + "]" : "KubeAccess[contents]";
    }
}
