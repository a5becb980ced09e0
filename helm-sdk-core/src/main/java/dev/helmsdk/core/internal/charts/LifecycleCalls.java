package dev.helmsdk.core.internal.charts;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.internal.ChartArchiveExtractor;
import dev.helmsdk.core.internal.WorkDirectory;
import dev.helmsdk.core.internal.provenance.ChartProvenance;
import dev.helmsdk.core.internal.provenance.ProvenanceVerifier;
import dev.helmsdk.core.internal.source.ChartArchives;
import dev.helmsdk.core.internal.source.Digests;
import dev.helmsdk.core.internal.source.RemoteCharts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@link ChartLifecycle}'s operations do, each run inside its operation (so its signals are that
 * operation's): work happens in a staging directory inside the destination, and only complete results are
 * moved into place. Every file error is typed ({@link FileErrors}), naming the path.
 */
public final class LifecycleCalls {

    private final RemoteCharts remote;
    private final DependencyManager dependencies;
    private final boolean requirePinned;
    private final Path keyring;
    private final Consumer<OperationSignal> signals;

    /**
     * @param keyring  the public keyring every pull verifies with, or {@code null} for unverified pulls
     * @param signals  where what each operation changed is told, for the operation on the calling thread
     */
    public LifecycleCalls(RemoteCharts remote, DependencyManager dependencies, boolean requirePinned, Path keyring,
                          Consumer<OperationSignal> signals) {
        this.remote = remote;
        this.dependencies = dependencies;
        this.requirePinned = requirePinned;
        this.keyring = keyring;
        this.signals = signals;
    }

    /** {@code helm dependency update} or (with {@code update} false) {@code build}. */
    public ChartLifecycle.Dependencies dependencies(Path chartDirectory, boolean update) {
        DependencyManager.Result r = update ? dependencies.update(chartDirectory, requirePinned) : dependencies.build(chartDirectory, requirePinned);
        ChartDependencies.Chart chart = ChartDependencies.read(update ? Operation.DEPENDENCY_UPDATE : Operation.DEPENDENCY_BUILD, chartDirectory);
        changed(chart.name(), chart.version(), chartDirectory.toString());
        return new ChartLifecycle.Dependencies(r.locked().stream().map(d -> new ChartLifecycle.LockedDependency(d.name(), d.repository(),
                d.version())).toList(), r.digest(), r.lockWritten(), r.archives());
    }

    /** {@code helm package}, the dependencies built first. */
    public ChartLifecycle.Packaged pack(Path chartDirectory, Path destination, ChartLifecycle.Signing signing) {
        ChartDependencies.Chart chart = ChartDependencies.read(Operation.PACKAGE, chartDirectory);
        if (chart.declared()) {
            if (ChartDependencies.readLock(Operation.PACKAGE, chartDirectory).isPresent()) {
                dependencies.build(chartDirectory, requirePinned);
            } else {
                dependencies.update(chartDirectory, requirePinned);
            }
        }
        Path staging = staging(Operation.PACKAGE, destination);
        try {
            ChartPackager.Packaged p = ChartPackager.packageInto(Operation.PACKAGE, chartDirectory, staging,
                    signing == null ? null : new ChartPackager.Signing(signing.key(), signing.secretKeyring(), signing.passphraseFile()));
            String digest = "sha256:" + Digests.sha256(read(Operation.PACKAGE, p.archive()));
            Optional<Path> prov = p.provenance().isPresent()
                    ? Optional.of(moveInto(Operation.PACKAGE, p.provenance().get(), destination)) : Optional.empty();
            Path archive = moveInto(Operation.PACKAGE, p.archive(), destination);
            changed(chart.name(), chart.version(), chartDirectory.toString());
            return new ChartLifecycle.Packaged(archive, prov, chart.name(), chart.version(), digest);
        } finally {
            WorkDirectory.deleteTree(staging);
        }
    }

    /** {@code helm push} of {@code archive} (and its {@code .prov} beside it) under {@code target}. */
    public ChartLifecycle.Pushed push(Path archive, String target) {
        ChartArchives.Checked checked;
        byte[] bytes;
        byte[] prov;
        try {
            checked = ChartArchives.check(archive);
            bytes = Files.readAllBytes(archive);
            Path provFile = archive.resolveSibling(archive.getFileName() + ".prov");
            prov = Files.isRegularFile(provFile) ? Files.readAllBytes(provFile) : null;
        } catch (ChartArchives.Refused e) {
            throw new InvalidRequestException(Operation.PUSH, null, "chart archive " + archive + " was refused: " + e.getMessage()
                    + "; nothing was pushed", e);
        } catch (IOException e) {
            throw new InvalidRequestException(Operation.PUSH, null, "chart archive " + archive + " cannot be read: " + e.getMessage(), e);
        }
        ChartDependencies.Chart chart = ChartDependencies.parse(Operation.PUSH, archive, checked.chartYaml());
        RemoteCharts.Pushed p = remote.push(Operation.PUSH, target, bytes, prov, chart.metadata(), () -> CredentialContext.of(Operation.PUSH));
        changed(chart.name(), chart.version(), p.reference());
        return new ChartLifecycle.Pushed(p.reference(), p.digest());
    }

    /** {@code helm pull [--untar] [--verify]}. */
    public ChartLifecycle.Pulled pull(ChartRef chart, Path directory, boolean untar) {
        RemoteCharts.Fetched f;
        if (chart instanceof ChartRef.Oci o) {
            f = remote.fetch(Operation.PULL, null, o, () -> CredentialContext.of(Operation.PULL));
        } else if (chart instanceof ChartRef.Repository r) {
            f = remote.fetch(Operation.PULL, null, r, () -> CredentialContext.of(Operation.PULL));
        } else {
            throw new InvalidRequestException(Operation.PULL, null, "pull takes a repository or OCI chart, not " + chart.describe());
        }
        String file = f.name() + "-" + f.version() + ".tgz";
        // Verified before the staging directory exists: a refused chart leaves nothing behind.
        ProvenanceVerifier.Result checked = keyring == null ? null
                : ChartProvenance.verifyFetched(Operation.PULL, chart, f, remote, () -> CredentialContext.of(Operation.PULL), keyring);
        Optional<ChartLifecycle.Verified> verified = Optional.ofNullable(checked).map(LifecycleCalls::verified);
        byte[] prov = checked == null ? null : checked.provenance();
        String digest = "sha256:" + Digests.sha256(read(Operation.PULL, f.archive()));
        Path staging = staging(Operation.PULL, directory);
        try {
            Path result = untar ? untarInto(chart, f.archive(), staging, directory) : copyInto(f.archive(), file, prov, staging, directory);
            changed(f.name(), f.version(), chart.describe());
            return new ChartLifecycle.Pulled(result, f.name(), f.version(), digest, verified);
        } catch (IOException e) {
            throw FileErrors.of(Operation.PULL, "cannot write " + chart.describe() + " into " + directory, directory, e);
        } finally {
            WorkDirectory.deleteTree(staging);
        }
    }

    private static Path copyInto(Path archive, String file, byte[] prov, Path staging, Path directory) throws IOException {
        Path copy = Files.copy(archive, staging.resolve(file));
        if (prov != null) {
            ChartPackager.moveInto(Files.write(staging.resolve(file + ".prov"), prov), directory);
        }
        return ChartPackager.moveInto(copy, directory);
    }

    private static Path untarInto(ChartRef chart, Path archive, Path staging, Path directory) throws IOException {
        Path top = ChartArchiveExtractor.extract(archive, staging);
        Path target = directory.resolve(top.getFileName().toString());
        if (Files.exists(target)) {
            throw new InvalidRequestException(Operation.PULL, null, "cannot untar " + chart.describe() + " into " + target
                    + ": it already exists (as helm pull --untar, nothing is overwritten)");
        }
        return Files.move(top, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code helm verify}. */
    public ChartLifecycle.Verified verify(Path archive, Path keyring) {
        if (Files.isDirectory(archive)) {
            throw ChartProvenance.directoryRefused(Operation.VERIFY, null, archive);
        }
        if (!Files.isRegularFile(archive)) {
            throw new InvalidRequestException(Operation.VERIFY, null, "chart archive " + archive + " does not exist");
        }
        return verified(ChartProvenance.verifyLocal(Operation.VERIFY, archive, keyring));
    }

    private static ChartLifecycle.Verified verified(ProvenanceVerifier.Result r) {
        return new ChartLifecycle.Verified(r.userIds().isEmpty() ? "" : r.userIds().get(0), r.keyId(), r.fingerprint(), r.chartName(),
                r.chartVersion(), r.digest());
    }

    /** What the operation wrote, for the audit trail: the chart and where it came from or went. */
    private void changed(String name, String version, String source) {
        signals.accept(new OperationSignal.Changed(name, version, source, 0, 0, ""));
    }

    private static byte[] read(Operation op, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot read " + file, file, e);
        }
    }

    private static Path moveInto(Operation op, Path file, Path directory) {
        try {
            return ChartPackager.moveInto(file, directory);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot move " + file.getFileName() + " into " + directory, directory, e);
        }
    }

    /** A fresh staging directory inside {@code destination} (created if needed), so results move into place atomically. */
    static Path staging(Operation op, Path destination) {
        try {
            Files.createDirectories(destination);
            return Files.createTempDirectory(destination, ".helm-sdk-staging-");
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot create a staging directory in " + destination, destination, e);
        }
    }
}
