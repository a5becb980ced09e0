package dev.helmsdk.core.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One call into Helm, fully resolved (local chart path or reference, values file, cluster access),
 * as plain data: the engine decides what to call, a {@link NativeHelmCalls} carries it out in this
 * process or in an isolated one.
 *
 * @param kind               which Helm command
 * @param name               the release name
 * @param namespace          the namespace
 * @param chart              chart path or reference (install, upgrade, template, lint)
 * @param version            chart version for remote charts, or {@code null}
 * @param valuesFile         a values file, or {@code null}
 * @param kubeConfigFile     kubeconfig file, or {@code null}
 * @param kubeConfigContents kubeconfig text, or {@code null}
 * @param timeoutSeconds     Helm's own --timeout, or 0 for none
 * @param description        release description, or {@code null}
 * @param kubeVersion        Kubernetes version to render for, or {@code null}
 * @param dryRun             {@code client}, {@code server} or {@code null}
 * @param flags              boolean options
 */
public record HelmCall(Kind kind, String name, String namespace, String chart, String version, String valuesFile,
                       String kubeConfigFile, String kubeConfigContents, int timeoutSeconds, String description,
                       String kubeVersion, String dryRun, Set<Flag> flags) {

    /**
     * The Kubernetes version assumed where no cluster is consulted: that of the client-go inside
     * helm-java 0.0.21 (v0.35). helm-java does not stamp it into Helm at build time as the Helm CLI
     * does, so without it Helm would assume v1.20.0 and reject charts such as podinfo that require
     * a newer one.
     */
    public static final String DEFAULT_KUBE_VERSION = "v1.35.0";

    /** The Helm commands the SDK uses. */
    public enum Kind { INSTALL, UPGRADE, UNINSTALL, TEMPLATE, LINT, TEST }

    /** Boolean options, each meaning what the Helm flag of that name means. */
    public enum Flag {
        CREATE_NAMESPACE, WAIT, INSTALL_IF_ABSENT, REUSE_VALUES, RESET_VALUES, FORCE, CLEANUP_ON_FAIL, SKIP_CRDS,
        CLIENT_ONLY, KEEP_HISTORY, STRICT,
        /** helm-java's debug report: the user-supplied and computed values are printed (never log that output). */
        DEBUG
    }

    /** Copies the flags. */
    public HelmCall {
        flags = flags == null || flags.isEmpty() ? Set.of() : Set.copyOf(flags);
    }

    /** Without the kubeconfig contents: they hold credentials. */
    @Override
    public String toString() {
        return "HelmCall[kind=" + kind + ", name=" + name + ", namespace=" + namespace + ", chart=" + chart
                + ", version=" + version + ", kubeConfigFile=" + kubeConfigFile
                + (kubeConfigContents != null ? ", kubeConfigContents=(redacted)" : "")
                + ", timeoutSeconds=" + timeoutSeconds + ", flags=" + flags + "]";
    }

    /** Whether a flag is set. */
    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** A builder for a call of {@code kind}. */
    public static Builder of(Kind kind, String name, String namespace) {
        return new Builder(kind, name, namespace);
    }

    /** What a call returned: Helm's printed output, the new revision, or lint findings. */
    public record Result(String output, int revision, List<String> lintMessages, boolean lintFailed) {
        /** Copies the messages. */
        public Result {
            output = output == null ? "" : output;
            lintMessages = lintMessages == null ? List.of() : List.copyOf(lintMessages);
        }
    }

    /** Mutable builder of {@link HelmCall}; use once. */
    public static final class Builder {
        private final Kind kind;
        private final String name;
        private final String namespace;
        private String chart;
        private String version;
        private String valuesFile;
        private String kubeConfigFile;
        private String kubeConfigContents;
        private int timeoutSeconds;
        private String description;
        private String kubeVersion;
        private String dryRun;
        private final Set<Flag> flags = EnumSet.noneOf(Flag.class);

        private Builder(Kind kind, String name, String namespace) {
            this.kind = kind;
            this.name = name;
            this.namespace = namespace;
        }

        public Builder chart(String chart, String version) { this.chart = chart; this.version = version; return this; }
        public Builder valuesFile(java.nio.file.Path file) { this.valuesFile = file == null ? null : file.toString(); return this; }
        public Builder kube(KubeAccess access) {
            this.kubeConfigFile = access.file() == null ? null : access.file().toString();
            this.kubeConfigContents = access.contentsNow();
            return this;
        }
        public Builder timeoutSeconds(int seconds) { this.timeoutSeconds = seconds; return this; }
        public Builder description(String d) { this.description = d == null || d.isEmpty() ? null : d; return this; }
        public Builder kubeVersion(String v) { this.kubeVersion = v; return this; }
        public Builder dryRun(String mode) { this.dryRun = mode; return this; }
        public Builder flag(Flag flag, boolean on) { if (on) flags.add(flag); return this; }
        public Builder flag(Flag flag) { flags.add(flag); return this; }

        public HelmCall build() {
            return new HelmCall(kind, name, namespace, chart, version, valuesFile, kubeConfigFile, kubeConfigContents,
                    timeoutSeconds, description, kubeVersion, dryRun, flags);
        }
    }
}
