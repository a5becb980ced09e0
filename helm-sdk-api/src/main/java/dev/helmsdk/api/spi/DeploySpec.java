package dev.helmsdk.api.spi;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.Values;

import java.util.Objects;

/**
 * A complete install, upgrade, dry-run or template request, with every default already applied.
 * Engines receive it; users build it through the fluent requests of {@link dev.helmsdk.api.HelmManager}.
 *
 * @param releaseName     the release
 * @param namespace       the target namespace
 * @param chart           the chart, or {@code null} while a request is still being built
 * @param values          the values, merged in Helm's order
 * @param createNamespace create the namespace if it does not exist
 * @param waitReady       wait until the released resources are ready
 * @param timeouts        the limits for this call
 * @param description     a custom release description, empty for Helm's default
 * @param installIfAbsent for an upgrade: install when the release does not exist yet
 * @param reuseValues     for an upgrade: start from the previous revision's values
 * @param resetValues     for an upgrade: start from the chart's defaults, ignoring previous values
 * @param force           for an upgrade: replace resources that cannot be patched
 * @param skipCrds        do not install the chart's {@code crds/}
 * @param kubeVersion     the Kubernetes version to render for where no cluster is consulted (template,
 *                        client dry run), e.g. {@code v1.31.0}; empty for the engine's default
 * @param rollbackOnFailure undo a failed install or upgrade (including its readiness wait)
 * @param progress        receives readiness progress while waiting, or {@code null}
 * @param healthChecks    checks run after readiness; any failure fails the change
 */
public record DeploySpec(
        String releaseName,
        String namespace,
        ChartRef chart,
        Values values,
        boolean createNamespace,
        boolean waitReady,
        Timeouts timeouts,
        String description,
        boolean installIfAbsent,
        boolean reuseValues,
        boolean resetValues,
        boolean force,
        boolean skipCrds,
        String kubeVersion,
        boolean rollbackOnFailure,
        java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress,
        java.util.List<dev.helmsdk.api.HealthCheck> healthChecks) {

    /** Requires name, namespace, values and timeouts. */
    public DeploySpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(timeouts, "timeouts");
        description = Objects.requireNonNullElse(description, "");
        kubeVersion = Objects.requireNonNullElse(kubeVersion, "");
        healthChecks = healthChecks == null ? java.util.List.of() : java.util.List.copyOf(healthChecks);
    }

    /** A spec with only the essentials set. */
    public static DeploySpec of(String releaseName, String namespace, Timeouts timeouts) {
        return new DeploySpec(releaseName, namespace, null, Values.empty(), false, false, timeouts, "",
                false, false, false, false, false, "", false, null, java.util.List.of());
    }

    /** A mutable copy for building a changed spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder of {@link DeploySpec}; not thread-safe, use it and drop it. */
    public static final class Builder {
        private String releaseName;
        private String namespace;
        private ChartRef chart;
        private Values values;
        private boolean createNamespace;
        private boolean waitReady;
        private Timeouts timeouts;
        private String description;
        private boolean installIfAbsent;
        private boolean reuseValues;
        private boolean resetValues;
        private boolean force;
        private boolean skipCrds;
        private String kubeVersion;
        private boolean rollbackOnFailure;
        private java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress;
        private java.util.List<dev.helmsdk.api.HealthCheck> healthChecks;

        private Builder(DeploySpec s) {
            releaseName = s.releaseName;
            namespace = s.namespace;
            chart = s.chart;
            values = s.values;
            createNamespace = s.createNamespace;
            waitReady = s.waitReady;
            timeouts = s.timeouts;
            description = s.description;
            installIfAbsent = s.installIfAbsent;
            reuseValues = s.reuseValues;
            resetValues = s.resetValues;
            force = s.force;
            skipCrds = s.skipCrds;
            kubeVersion = s.kubeVersion;
            rollbackOnFailure = s.rollbackOnFailure;
            progress = s.progress;
            healthChecks = s.healthChecks;
        }

        /** Sets the release name. */
        public Builder releaseName(String releaseName) { this.releaseName = Objects.requireNonNull(releaseName, "releaseName"); return this; }
        /** Sets the namespace. */
        public Builder namespace(String namespace) { this.namespace = Objects.requireNonNull(namespace, "namespace"); return this; }
        /** Sets the chart; {@code null} while a request is still being built. */
        public Builder chart(ChartRef chart) { this.chart = chart; return this; }
        /** Sets the values. */
        public Builder values(Values values) { this.values = Objects.requireNonNull(values, "values"); return this; }
        /** Sets namespace creation. */
        public Builder createNamespace(boolean v) { createNamespace = v; return this; }
        /** Sets waiting for readiness. */
        public Builder waitReady(boolean v) { waitReady = v; return this; }
        /** Sets the timeouts. */
        public Builder timeouts(Timeouts timeouts) { this.timeouts = Objects.requireNonNull(timeouts, "timeouts"); return this; }
        /** Sets the description. */
        public Builder description(String description) { this.description = Objects.requireNonNull(description, "description"); return this; }
        /** Sets install-if-absent. */
        public Builder installIfAbsent(boolean v) { installIfAbsent = v; return this; }
        /** Sets reuse of previous values. */
        public Builder reuseValues(boolean v) { reuseValues = v; return this; }
        /** Sets reset of previous values. */
        public Builder resetValues(boolean v) { resetValues = v; return this; }
        /** Sets forced replacement. */
        public Builder force(boolean v) { force = v; return this; }
        /** Sets skipping of CRDs. */
        public Builder skipCrds(boolean v) { skipCrds = v; return this; }
        /** Sets the Kubernetes version to render for. */
        public Builder kubeVersion(String kubeVersion) { this.kubeVersion = Objects.requireNonNull(kubeVersion, "kubeVersion"); return this; }
        /** Sets automatic rollback. */
        public Builder rollbackOnFailure(boolean v) { rollbackOnFailure = v; return this; }
        /** Sets the progress listener; {@code null} for none. */
        public Builder progress(java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress) { this.progress = progress; return this; }
        /** Sets the health checks. */
        public Builder healthChecks(java.util.List<dev.helmsdk.api.HealthCheck> healthChecks) { this.healthChecks = Objects.requireNonNull(healthChecks, "healthChecks"); return this; }

        /** Builds the spec. */
        public DeploySpec build() {
            return new DeploySpec(releaseName, namespace, chart, values, createNamespace, waitReady, timeouts,
                    description, installIfAbsent, reuseValues, resetValues, force, skipCrds, kubeVersion, rollbackOnFailure, progress, healthChecks);
        }
    }
}
