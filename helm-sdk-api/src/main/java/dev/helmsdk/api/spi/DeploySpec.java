package dev.helmsdk.api.spi;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.Values;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A complete install, upgrade, dry-run, template or needs-upgrade request, with every default
 * already applied. Engines receive it; users build it through the fluent requests of
 * {@link dev.helmsdk.api.HelmManager}. The options are grouped by what they are about: waiting
 * ({@link Readiness}), upgrading ({@link Upgrade}) and rendering ({@link Rendering}).
 *
 * @param releaseName       the release
 * @param namespace         the target namespace
 * @param chart             the chart; {@code null} only while a request is still being built (engines always get one)
 * @param values            the values, merged in Helm's order
 * @param readiness         whether to wait for the released resources, with progress and health checks
 * @param upgrade           what only an upgrade uses (ignored by an install)
 * @param rendering         how the chart is rendered
 * @param createNamespace   create the namespace if it does not exist
 * @param description       a custom release description; empty for Helm's ({@code Install complete}, ...)
 * @param rollbackOnFailure undo a failed install or upgrade, its readiness wait included, as Helm's
 *                          {@code --atomic} (Helm 4: {@code --rollback-on-failure}) does
 * @param verifyKeyring     the public keyring the chart's provenance is verified against before anything else, as
 *                          {@code --verify --keyring}; {@code null} not to verify
 * @param timeouts          the limits for this call
 */
public record DeploySpec(
        String releaseName,
        String namespace,
        ChartRef chart,
        Values values,
        Readiness readiness,
        Upgrade upgrade,
        Rendering rendering,
        boolean createNamespace,
        String description,
        boolean rollbackOnFailure,
        Path verifyKeyring,
        Timeouts timeouts) {

    /** Requires everything but the chart and the keyring; a {@code null} description is empty. */
    public DeploySpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(upgrade, "upgrade");
        Objects.requireNonNull(rendering, "rendering");
        description = Objects.requireNonNullElse(description, "");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** A spec with only the essentials set: no chart yet, no values, every option at its default. */
    public static DeploySpec of(String releaseName, String namespace, Timeouts timeouts) {
        return new DeploySpec(releaseName, namespace, null, Values.empty(), Readiness.ofDefaults(), Upgrade.ofDefaults(),
                Rendering.ofDefaults(), false, "", false, null, timeouts);
    }

    /** A mutable copy for building a changed spec. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * What only an upgrade uses.
     *
     * @param installIfAbsent install when the release does not exist yet ({@code helm upgrade --install})
     * @param reuseValues     start from the previous revision's values ({@code --reuse-values})
     * @param resetValues     start from the chart's defaults only ({@code --reset-values}); excludes {@code reuseValues}
     * @param force           replace resources that cannot be patched ({@code --force})
     */
    public record Upgrade(boolean installIfAbsent, boolean reuseValues, boolean resetValues, boolean force) {

        /** Refuses both reusing and resetting the previous values. */
        public Upgrade {
            if (reuseValues && resetValues) {
                throw new IllegalArgumentException("reuseValues and resetValues exclude each other");
            }
        }

        /** Everything off: the given values only (or the release's when none are given), as {@code helm upgrade}. */
        public static Upgrade ofDefaults() {
            return new Upgrade(false, false, false, false);
        }

        /** This with install-if-absent set. */
        public Upgrade withInstallIfAbsent(boolean installIfAbsent) {
            return new Upgrade(installIfAbsent, reuseValues, resetValues, force);
        }

        /** This with reuse of the previous values set; setting it clears {@code resetValues}. */
        public Upgrade withReuseValues(boolean reuseValues) {
            return new Upgrade(installIfAbsent, reuseValues, !reuseValues && resetValues, force);
        }

        /** This with reset to the chart's defaults set; setting it clears {@code reuseValues}. */
        public Upgrade withResetValues(boolean resetValues) {
            return new Upgrade(installIfAbsent, !resetValues && reuseValues, resetValues, force);
        }

        /** This with forced replacement set. */
        public Upgrade withForce(boolean force) {
            return new Upgrade(installIfAbsent, reuseValues, resetValues, force);
        }
    }

    /**
     * How the chart is rendered.
     *
     * @param skipCrds    leave out the chart's {@code crds/} directory ({@code --skip-crds})
     * @param kubeVersion the Kubernetes version to render for where no cluster is consulted (template,
     *                    client dry run), e.g. {@code v1.31.0}; empty (or {@code null}) for the engine's default
     */
    public record Rendering(boolean skipCrds, String kubeVersion) {

        /** A {@code null} version is empty. */
        public Rendering {
            kubeVersion = Objects.requireNonNullElse(kubeVersion, "");
        }

        /** CRDs included, the engine's default Kubernetes version. */
        public static Rendering ofDefaults() {
            return new Rendering(false, "");
        }

        /** This with skipping of CRDs set. */
        public Rendering withSkipCrds(boolean skipCrds) {
            return new Rendering(skipCrds, kubeVersion);
        }

        /** This with the Kubernetes version to render for. */
        public Rendering withKubeVersion(String kubeVersion) {
            return new Rendering(skipCrds, Objects.requireNonNull(kubeVersion, "kubeVersion"));
        }
    }

    /** Mutable builder of {@link DeploySpec}; not thread-safe, use it and drop it. */
    public static final class Builder {
        private String releaseName;
        private String namespace;
        private ChartRef chart;
        private Values values;
        private Readiness readiness;
        private Upgrade upgrade;
        private Rendering rendering;
        private boolean createNamespace;
        private String description;
        private boolean rollbackOnFailure;
        private Path verifyKeyring;
        private Timeouts timeouts;

        private Builder(DeploySpec s) {
            releaseName = s.releaseName;
            namespace = s.namespace;
            chart = s.chart;
            values = s.values;
            readiness = s.readiness;
            upgrade = s.upgrade;
            rendering = s.rendering;
            createNamespace = s.createNamespace;
            description = s.description;
            rollbackOnFailure = s.rollbackOnFailure;
            verifyKeyring = s.verifyKeyring;
            timeouts = s.timeouts;
        }

        /** Sets the release name. */
        public Builder releaseName(String releaseName) { this.releaseName = Objects.requireNonNull(releaseName, "releaseName"); return this; }
        /** Sets the namespace. */
        public Builder namespace(String namespace) { this.namespace = Objects.requireNonNull(namespace, "namespace"); return this; }
        /** Sets the chart; {@code null} while a request is still being built. */
        public Builder chart(ChartRef chart) { this.chart = chart; return this; }
        /** Sets the values. */
        public Builder values(Values values) { this.values = Objects.requireNonNull(values, "values"); return this; }
        /** Sets waiting for readiness, with its listener and checks. */
        public Builder readiness(Readiness readiness) { this.readiness = Objects.requireNonNull(readiness, "readiness"); return this; }
        /** Sets the upgrade options. */
        public Builder upgrade(Upgrade upgrade) { this.upgrade = Objects.requireNonNull(upgrade, "upgrade"); return this; }
        /** Sets the rendering options. */
        public Builder rendering(Rendering rendering) { this.rendering = Objects.requireNonNull(rendering, "rendering"); return this; }
        /** Sets namespace creation. */
        public Builder createNamespace(boolean v) { createNamespace = v; return this; }
        /** Sets the description. */
        public Builder description(String description) { this.description = Objects.requireNonNull(description, "description"); return this; }
        /** Sets automatic rollback. */
        public Builder rollbackOnFailure(boolean v) { rollbackOnFailure = v; return this; }
        /** Sets the keyring to verify the chart's provenance against; {@code null} not to verify. */
        public Builder verifyKeyring(Path keyring) { verifyKeyring = keyring; return this; }
        /** Sets the timeouts. */
        public Builder timeouts(Timeouts timeouts) { this.timeouts = Objects.requireNonNull(timeouts, "timeouts"); return this; }

        /** Builds the spec. */
        public DeploySpec build() {
            return new DeploySpec(releaseName, namespace, chart, values, readiness, upgrade, rendering, createNamespace,
                    description, rollbackOnFailure, verifyKeyring, timeouts);
        }
    }
}
