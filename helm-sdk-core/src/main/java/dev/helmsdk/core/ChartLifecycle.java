package dev.helmsdk.core;

import dev.helmsdk.api.ChartDependencyException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.WorkDirectory;
import dev.helmsdk.core.internal.charts.DependencyManager;
import dev.helmsdk.core.internal.provenance.OpenPgpLibrary;
import dev.helmsdk.core.internal.source.RemoteCharts;

import dev.helmsdk.api.audit.AuditPolicy;
import dev.helmsdk.api.audit.AuditSink;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.core.internal.OperationSeams;
import dev.helmsdk.core.internal.StandaloneOperations;
import dev.helmsdk.core.internal.charts.LifecycleCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens to a chart before it is released: its dependencies updated ({@code Chart.lock}) or built, packaged
 * (signed where asked), pushed to an OCI registry, pulled by reference. No cluster is needed. Remote charts and
 * dependencies are reached through the same {@link ChartSources} (credential providers, CAs, proxies, budgets and
 * the archive check) as a manager's installs; packaging is Helm's own ({@code helm package}, in process).
 * Thread-safe; close it to stop its HTTP client and delete its temporary work directory.
 *
 * <pre>{@code
 * try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(ChartSources.defaults()).build()) {
 *     charts.dependencyUpdate(Path.of("charts/shop"));
 *     ChartLifecycle.Packaged packaged = charts.packageChart(Path.of("charts/shop"), Path.of("target"));
 *     charts.push(packaged.archive(), "oci://registry.example.com/charts");
 * }
 * }</pre>
 *
 * <p>Every method leaves its destination as it was when it fails: work happens in a staging directory and only
 * complete results are moved into place; a push writes its tag last.
 */
public final class ChartLifecycle implements AutoCloseable {

    /**
     * A packaged chart.
     *
     * @param archive    {@code <destination>/<name>-<version>.tgz}
     * @param provenance its {@code .prov} file, when signed
     * @param name       the chart's name
     * @param version    its version
     * @param digest     the archive's {@code sha256:} digest
     */
    public record Packaged(Path archive, Optional<Path> provenance, String name, String version, String digest) {
        /** Requires every component. */
        public Packaged {
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(provenance, "provenance");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(digest, "digest");
        }
    }

    /**
     * A pushed chart.
     *
     * @param reference {@code oci://host/path/name:tag}
     * @param digest    the manifest's {@code sha256:} digest, to pin installs with ({@code reference@digest})
     */
    public record Pushed(String reference, String digest) {
        /** Requires every component. */
        public Pushed {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(digest, "digest");
        }
    }

    /**
     * A pulled chart.
     *
     * @param path         the archive ({@code <directory>/<name>-<version>.tgz}) or, untarred, the chart's directory
     * @param name         the chart's name
     * @param version      the version the reference resolved to
     * @param digest       the archive's {@code sha256:} digest
     * @param verification who signed it, when pulls verify ({@link Builder#verifyWith(Path)})
     */
    public record Pulled(Path path, String name, String version, String digest, Optional<Verified> verification) {
        /** Requires every component. */
        public Pulled {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(verification, "verification");
        }

        /** An unverified pull. */
        public Pulled(Path path, String name, String version, String digest) {
            this(path, name, version, digest, Optional.empty());
        }
    }

    /**
     * A verified chart, as {@code helm verify} prints it ("Signed by", "Using Key With Fingerprint", "Chart Hash Verified").
     *
     * @param signer       the signing key's first user id ({@code Name <email>}), {@code ""} when it has none
     * @param keyId        the id of the key that made the signature (16 hex digits, upper case; a subkey's when a subkey signed)
     * @param fingerprint  the primary key's fingerprint (hex, upper case), as Helm prints it
     * @param chartName    {@code name} in the signed {@code Chart.yaml}
     * @param chartVersion {@code version} in the signed {@code Chart.yaml}
     * @param digest       the archive's {@code sha256:} digest, the one signed
     */
    public record Verified(String signer, String keyId, String fingerprint, String chartName, String chartVersion, String digest) {
        /** Requires every component. */
        public Verified {
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(chartName, "chartName");
            Objects.requireNonNull(chartVersion, "chartVersion");
            Objects.requireNonNull(digest, "digest");
        }
    }

    /**
     * A dependency as {@code Chart.lock} records it.
     *
     * @param name       its name
     * @param repository its repository as {@code Chart.yaml} gives it
     * @param version    the exact version locked
     */
    public record LockedDependency(String name, String repository, String version) {
        /** Requires every component. */
        public LockedDependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * What a dependency update or build left in the chart.
     *
     * @param dependencies the locked dependencies, in {@code Chart.yaml}'s order; empty when it declares none
     * @param digest       {@code Chart.lock}'s digest, Helm's (empty when there are no dependencies)
     * @param lockWritten  whether {@code Chart.lock} was written (an update that locked the same versions leaves it, as Helm)
     * @param archives     the dependencies' archives in {@code charts/}
     */
    public record Dependencies(List<LockedDependency> dependencies, String digest, boolean lockWritten, List<Path> archives) {
        /** Copies the lists. */
        public Dependencies {
            dependencies = List.copyOf(Objects.requireNonNull(dependencies, "dependencies"));
            Objects.requireNonNull(digest, "digest");
            archives = List.copyOf(Objects.requireNonNull(archives, "archives"));
        }
    }

    /**
     * How to sign a package, as {@code helm package --sign --key --keyring --passphrase-file}.
     *
     * @param key            the key's name (a user id or part of one)
     * @param secretKeyring  a secret keyring in the legacy {@code secring.gpg} format, as Helm reads it
     *                       ({@code gpg --export-secret-keys > secring.gpg})
     * @param passphraseFile a file holding the key's passphrase, or {@code null} when the key has none
     */
    public record Signing(String key, Path secretKeyring, Path passphraseFile) {
        /** Requires the key and keyring. */
        public Signing {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(secretKeyring, "secretKeyring");
            if (key.isBlank()) {
                throw new InvalidRequestException(Operation.PACKAGE, null, "the signing key's name must not be blank");
            }
        }
    }

    private final WorkDirectory work;
    private final StandaloneOperations operations;
    private final RemoteCharts remote;
    private final LifecycleCalls calls;

    private ChartLifecycle(Builder b) {
        this.work = b.workDirectory != null ? WorkDirectory.at(b.workDirectory) : WorkDirectory.temporary();
        this.operations = StandaloneOperations.start(new OperationSeams(b.interceptors, b.discoverInterceptors, b.auditSinks,
                b.discoverAuditSinks, b.auditPolicy, b.meterRegistry, false, b.observationRegistry, b.actor));
        // Every request and credential question is a phase of the operation sending it, as for a manager's installs.
        this.remote = new RemoteCharts(b.chartSources, work.path().resolve("charts"), operations.registry(), operations::currentDeadline,
                operations::signal);
        this.calls = new LifecycleCalls(remote, new DependencyManager(remote, Clock.systemUTC()), b.requirePinnedDependencies, b.keyring,
                operations::signal);
    }

    /** A builder; see {@link HelmSdk#chartLifecycle()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code helm dependency update}: resolves each dependency's constraint in its repository (with the providers'
     * credentials for that repository), downloads the archives into {@code charts/} (older ones removed), packages
     * {@code file://} dependencies, and writes {@code Chart.lock} with Helm's digest.
     *
     * @param chartDirectory an unpacked chart
     * @return what was locked
     * @throws ChartDependencyException naming the dependency and its repository when one cannot be resolved or
     *                                  fetched, or floats while {@link Builder#requirePinnedDependencies(boolean)} is on
     */
    public Dependencies dependencyUpdate(Path chartDirectory) {
        Objects.requireNonNull(chartDirectory, "chartDirectory");
        return operations.run(Operation.DEPENDENCY_UPDATE, () -> calls.dependencies(chartDirectory, true));
    }

    /**
     * {@code helm dependency build}: downloads exactly the versions {@code Chart.lock} records (an update when
     * there is no lock, as Helm, refusing floating versions when {@link Builder#requirePinnedDependencies(boolean)} is on).
     *
     * @param chartDirectory an unpacked chart
     * @return what was built
     * @throws ChartDependencyException when the lock is out of sync with {@code Chart.yaml} (dependency {@code *}),
     *                                  or a dependency cannot be fetched
     */
    public Dependencies dependencyBuild(Path chartDirectory) {
        Objects.requireNonNull(chartDirectory, "chartDirectory");
        return operations.run(Operation.DEPENDENCY_BUILD, () -> calls.dependencies(chartDirectory, false));
    }

    /** {@link #packageChart(Path, Path, Signing)} unsigned. */
    public Packaged packageChart(Path chartDirectory, Path destination) {
        return pack(chartDirectory, destination, null);
    }

    /**
     * {@code helm package}: first the dependencies are built from {@code Chart.lock} (updated when there is no
     * lock), then Helm packages the chart into {@code destination}, signed with {@code signing} (a {@code .prov}
     * file beside the archive).
     *
     * @param chartDirectory an unpacked chart
     * @param destination    where the archive goes (created if needed)
     * @param signing        how to sign
     * @return the archive
     * @throws HelmOperationException   when Helm refuses the chart or the key (Helm's words in {@link HelmOperationException#helmMessage()})
     * @throws ChartDependencyException when a dependency cannot be built
     * @throws InvalidRequestException  when {@code destination} is a file or cannot be written
     */
    public Packaged packageChart(Path chartDirectory, Path destination, Signing signing) {
        return pack(chartDirectory, destination, Objects.requireNonNull(signing, "signing"));
    }

    private Packaged pack(Path chartDirectory, Path destination, Signing signing) {
        Objects.requireNonNull(chartDirectory, "chartDirectory");
        Objects.requireNonNull(destination, "destination");
        return operations.run(Operation.PACKAGE, () -> calls.pack(chartDirectory, destination, signing));
    }

    /**
     * {@code helm push}: pushes a packaged chart (and its {@code .prov} beside it, if any) to
     * {@code <target>/<name>:<version>}, with the credentials the providers give for {@code target}.
     *
     * @param archive a chart archive; it passes the archive check first
     * @param target  {@code oci://host[:port][/path]}
     * @return the pushed reference and the manifest's digest
     * @throws ChartSourceException when the registry refuses the credentials or the upload; no tag is then written
     */
    public Pushed push(Path archive, String target) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(target, "target");
        return operations.run(Operation.PUSH, () -> calls.push(archive, target));
    }

    /**
     * {@code helm pull}: fetches a repository or OCI chart (a version constraint is resolved as for installs) into
     * {@code directory} as {@code <name>-<version>.tgz}. The archive passes the same checks as for an install
     * (digest, hostile entries, size budgets) before anything is written there.
     *
     * @param chart     a {@link ChartRef#repository} or {@link ChartRef#oci} reference
     * @param directory where the archive goes (created if needed)
     * @return the archive
     */
    public Pulled pull(ChartRef chart, Path directory) {
        return pull(chart, directory, false);
    }

    /**
     * {@code helm pull --untar}: as {@link #pull(ChartRef, Path)}, unpacked into {@code <directory>/<name>}, which
     * must not exist yet.
     *
     * @param chart     a repository or OCI reference
     * @param directory where the chart's directory goes
     * @return the chart's directory
     */
    public Pulled pullUntarred(ChartRef chart, Path directory) {
        return pull(chart, directory, true);
    }

    private Pulled pull(ChartRef chart, Path directory, boolean untar) {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(directory, "directory");
        return operations.run(Operation.PULL, () -> calls.pull(chart, directory, untar));
    }

    /**
     * {@code helm verify}: checks {@code <archive>.prov} as Helm does: its clear signature against {@code keyring}, then
     * the archive's sha256 against the one it signed for the archive's file name.
     *
     * @param archive a chart archive with its {@code .prov} beside it
     * @param keyring a public keyring: GnuPG's legacy binary format ({@code gpg --export > pubring.gpg}, what Helm reads)
     *                or ASCII-armored ({@code gpg --export --armor})
     * @return who signed it and what
     * @throws ChartVerificationException naming the archive and what failed (no {@code .prov}, unknown key, bad signature,
     *                                    digest mismatch, ...)
     * @throws InvalidRequestException    when the archive is missing, or {@code org.bouncycastle:bcpg-jdk18on} is not on the class path
     */
    public Verified verify(Path archive, Path keyring) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(keyring, "keyring");
        OpenPgpLibrary.require(Operation.VERIFY);
        return operations.run(Operation.VERIFY, () -> calls.verify(archive, keyring));
    }

    /** Stops the HTTP client; deletes the work directory unless it was given. */
    @Override
    public void close() {
        remote.close();
        operations.close();
        work.close();
    }

    /** Builds a {@link ChartLifecycle}; not thread-safe. */
    public static final class Builder {
        private ChartSources chartSources = ChartSources.defaults();
        private Path workDirectory;
        private boolean requirePinnedDependencies;
        private Path keyring;
        private final List<OperationInterceptor> interceptors = new ArrayList<>();
        private boolean discoverInterceptors = true;
        private final List<AuditSink> auditSinks = new ArrayList<>();
        private boolean discoverAuditSinks = true;
        private AuditPolicy auditPolicy = AuditPolicy.FAIL_CLOSED;
        private MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry;
        private String actor = "";

        private Builder() {
        }

        /**
         * Records the operations' meters here, as {@link HelmSdk.Builder#meterRegistry} does: timer {@code helm.sdk.operations}
         * (tags {@code operation} {@code package}, {@code push}, {@code pull}, {@code verify}, {@code dependency_update},
         * {@code dependency_build}; {@code outcome}), and the chart sources' fetch and credential meters.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Adds an interceptor that sees every operation before and after, as {@link HelmSdk.Builder#interceptor}; it can veto one. */
        public Builder interceptor(OperationInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Whether to add the interceptors {@link java.util.ServiceLoader} finds, as {@link HelmSdk.Builder#discoverInterceptors}; default {@code true}. */
        public Builder discoverInterceptors(boolean discover) {
            this.discoverInterceptors = discover;
            return this;
        }

        /**
         * Adds a sink for the audit trail, as {@link HelmSdk.Builder#auditSink}: package, push, pull and the dependency
         * updates are changes (an intent before, an outcome after, naming the chart and where it came from or went);
         * a verification changes nothing and is not recorded. The lifecycle does not close it.
         */
        public Builder auditSink(AuditSink sink) {
            auditSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Whether to add the audit sinks {@link java.util.ServiceLoader} finds, as {@link HelmSdk.Builder#discoverAuditSinks}; default {@code true}. */
        public Builder discoverAuditSinks(boolean discover) {
            this.discoverAuditSinks = discover;
            return this;
        }

        /** What a failing audit sink does to an operation, as {@link HelmSdk.Builder#auditPolicy}; default {@link AuditPolicy#FAIL_CLOSED}. */
        public Builder auditPolicy(AuditPolicy policy) {
            this.auditPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Observes every operation here (one span each), as {@link HelmSdk.Builder#observationRegistry}; default none. */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Who the operations are for, as interceptors and the audit trail record it, as {@link HelmSdk.Builder#actor}; default nobody. */
        public Builder actor(String actor) {
            this.actor = dev.helmsdk.api.spi.OperationEvent.requireActor(actor);
            return this;
        }

        /** How repositories and registries are reached, as for a manager; default {@link ChartSources#defaults()}. */
        public Builder chartSources(ChartSources sources) {
            this.chartSources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /** Where downloaded archives are cached; default a private temporary directory deleted on close. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Whether dependency updates (and builds and packaging that update: no Chart.lock) refuse a chart whose repository or registry
         * dependencies are not each asked for by one exact version ({@code ^1.2}, {@code >=1}, {@code 1.x} or none
         * float); default {@code false}. The refusal names every floating dependency, and nothing is written.
         */
        public Builder requirePinnedDependencies(boolean required) {
            this.requirePinnedDependencies = required;
            return this;
        }

        /**
         * Makes every pull verify, as {@code helm pull --verify}: the {@code .prov} beside the archive in a repository
         * ({@code <archive URL>.prov}) or the registry's provenance layer is checked as {@link #verify(Path, Path)} does,
         * and written beside the pulled archive. A missing {@code .prov}, an unknown key, a bad signature or a digest
         * mismatch is a {@link ChartVerificationException} and nothing is written. Needs {@code org.bouncycastle:bcpg-jdk18on}.
         *
         * @param keyring a public keyring, binary ({@code pubring.gpg}) or armored
         */
        public Builder verifyWith(Path keyring) {
            this.keyring = Objects.requireNonNull(keyring, "keyring");
            OpenPgpLibrary.require(Operation.CONFIGURE);
            return this;
        }

        /** Builds it. */
        public ChartLifecycle build() {
            return new ChartLifecycle(this);
        }
    }
}
