package dev.helmsdk.core.internal.charts;

import dev.helmsdk.api.ChartDependencyException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.internal.source.Constraints;
import dev.helmsdk.core.internal.source.RemoteCharts;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code helm dependency update} and {@code build}, with every remote dependency fetched through the SDK's chart
 * sources (the providers' credentials for each dependency's repository, digest and archive checks, budgets), and
 * {@code file://} dependencies packaged by Helm. Everything is first written to a staging directory inside the
 * chart; only when every dependency is there are the archives moved into {@code charts/} (older archives removed,
 * as Helm does) and {@code Chart.lock} replaced, so a failure leaves both as they were.
 */
public final class DependencyManager {

    /**
     * What a run left in the chart.
     *
     * @param locked      the locked dependencies, in {@code Chart.yaml}'s order
     * @param digest      the lock's digest
     * @param lockWritten whether {@code Chart.lock} was (re)written (not when it already said the same, as Helm)
     * @param archives    the archives now in {@code charts/} for these dependencies
     */
    public record Result(List<ChartDependencies.Dependency> locked, String digest, boolean lockWritten, List<Path> archives) {
    }

    private final RemoteCharts remote;
    private final Clock clock;

    public DependencyManager(RemoteCharts remote, Clock clock) {
        this.remote = remote;
        this.clock = clock;
    }

    /** Resolves {@code Chart.yaml}'s constraints, downloads, writes {@code Chart.lock}; with {@code requirePinned}, refuses floating ones first. */
    public Result update(Path dir, boolean requirePinned) {
        Operation op = Operation.DEPENDENCY_UPDATE;
        ChartDependencies.Chart chart = ChartDependencies.read(op, dir);
        if (!chart.declared()) {
            return new Result(List.of(), "", false, List.of());
        }
        if (requirePinned) {
            List<PinnedVersions.Floating> floating = PinnedVersions.floating(chart.dependencies());
            if (!floating.isEmpty()) {
                ChartDependencies.Dependency first = floating.get(0).dependency();
                throw new ChartDependencyException(op, first.name(), first.repository(), "chart " + dir
                        + " has dependencies without one exact version, and pinned versions were asked for: "
                        + String.join("; ", floating.stream().map(PinnedVersions.Floating::describe).toList())
                        + "; give each one exact version (e.g. version: 1.2.3); nothing was written", null);
            }
        }
        Downloaded done = downloadAll(op, dir, chart.dependencies());
        String digest = ChartDependencies.digest(chart.dependencies(), done.locked());
        Optional<ChartDependencies.Lock> old = ChartDependencies.readLock(op, dir);
        boolean write = old.isEmpty() || !old.get().digest().equals(digest);
        commit(op, dir, done, write ? ChartDependencies.lockYaml(new ChartDependencies.Lock(digest, done.locked()), clock.instant()) : null);
        return new Result(done.locked(), digest, write, done.targets());
    }

    /**
     * Rebuilds {@code charts/} from {@code Chart.lock} exactly; without a lock, an update (as Helm), which refuses floating
     * versions when {@code requirePinned} (a lock's versions are exact, so it matters only then).
     */
    public Result build(Path dir, boolean requirePinned) {
        Operation op = Operation.DEPENDENCY_BUILD;
        ChartDependencies.Chart chart = ChartDependencies.read(op, dir);
        Optional<ChartDependencies.Lock> lock = ChartDependencies.readLock(op, dir);
        if (lock.isEmpty()) {
            return update(dir, requirePinned);
        }
        String digest = ChartDependencies.digest(chart.dependencies(), lock.get().dependencies());
        if (!digest.equals(lock.get().digest())) {
            throw new ChartDependencyException(op, "*", "", "the lock file (Chart.lock) of " + dir
                    + " is out of sync with the dependencies file (Chart.yaml): run dependency update (Helm says the same); nothing was written", null);
        }
        Downloaded done = downloadAll(op, dir, lock.get().dependencies());
        commit(op, dir, done, null);
        return new Result(done.locked(), digest, false, done.targets());
    }

    /** The staging directory with every archive, the locked list, and the archives' names in {@code charts/}. */
    private record Downloaded(Path staging, List<ChartDependencies.Dependency> locked, List<Path> targets) {
    }

    private Downloaded downloadAll(Operation op, Path dir, List<ChartDependencies.Dependency> deps) {
        Path staging;
        try {
            staging = Files.createTempDirectory(dir, ".helm-sdk-dependencies-");
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot create a staging directory in chart " + dir, dir, e);
        }
        try {
            List<ChartDependencies.Dependency> locked = new ArrayList<>();
            List<Path> targets = new ArrayList<>();
            for (ChartDependencies.Dependency d : deps) {
                try {
                    locked.add(one(op, dir, staging, d, targets));
                } catch (ChartDependencyException e) {
                    throw e;
                } catch (HelmSdkException e) {
                    throw new ChartDependencyException(op, d.name(), d.repository(), "dependency '" + d.name() + "' (version '" + d.version()
                            + "', repository " + d.repository() + ") of " + dir + ": " + e.getMessage() + "; nothing was written", e);
                }
            }
            return new Downloaded(staging, List.copyOf(locked), List.copyOf(targets));
        } catch (RuntimeException e) {
            dev.helmsdk.core.internal.WorkDirectory.deleteTree(staging);
            throw e;
        }
    }

    private ChartDependencies.Dependency one(Operation op, Path dir, Path staging, ChartDependencies.Dependency d, List<Path> targets) {
        String repo = d.repository();
        Path charts = dir.resolve("charts");
        if (repo.isEmpty()) {
            if (!Files.exists(charts.resolve(d.name()))) {
                throw failure(op, d, "declares no repository, so it must be in " + charts.resolve(d.name()) + ", which does not exist");
            }
            return ChartDependencies.Dependency.locked(d.name(), "", d.version());
        }
        if (repo.startsWith("file://")) {
            Path local = Path.of(repo.substring("file://".length()));
            local = local.isAbsolute() ? local : dir.resolve(local).normalize();
            if (!Files.isDirectory(local)) {
                throw failure(op, d, "points at " + local + ", which is not a directory");
            }
            ChartDependencies.Chart sub = ChartDependencies.read(op, local);
            if (!d.version().isEmpty() && !satisfies(op, d, sub.version())) {
                throw failure(op, d, "is at version " + sub.version() + " in " + local + ", which does not match '" + d.version() + "'");
            }
            Path own = createDirectory(op, staging.resolve("file-" + targets.size()));
            Path archive = ChartPackager.packageInto(op, local, own, null).archive();
            targets.add(charts.resolve(move(op, archive, staging).getFileName()));
            return ChartDependencies.Dependency.locked(d.name(), repo, sub.version());
        }
        String version = d.version().isEmpty() ? null : d.version();
        RemoteCharts.Fetched fetched;
        String fileName;
        if (repo.startsWith("oci://")) {
            fetched = remote.fetch(op, null, (ChartRef.Oci) ChartRef.oci(repo.replaceAll("/+$", "") + "/" + d.name(), version), () -> CredentialContext.of(op));
            fileName = fetched.name() + "-" + fetched.version() + ".tgz";
        } else if (repo.startsWith("https://") || repo.startsWith("http://")) {
            fetched = remote.fetch(op, null, (ChartRef.Repository) ChartRef.repository(repo, d.name(), version), () -> CredentialContext.of(op));
            String path = URI.create(fetched.source()).getPath();
            fileName = path.substring(path.lastIndexOf('/') + 1);
        } else {
            throw failure(op, d, "has repository '" + repo + "', which the SDK cannot reach: give an https://, http://, oci:// or file:// URL"
                    + (repo.startsWith("@") || repo.startsWith("alias:") ? " (repository names need Helm's repositories.yaml, which the SDK never reads)" : ""));
        }
        if (!fileName.endsWith(".tgz") || fileName.contains("/") || fileName.startsWith(".")) {
            fileName = fetched.name() + "-" + fetched.version() + ".tgz";
        }
        Path staged = staging.resolve(fileName);
        try {
            Files.copy(fetched.archive(), staged, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot stage dependency '" + d.name() + "' for " + dir, dir, e);
        }
        targets.add(charts.resolve(fileName));
        return ChartDependencies.Dependency.locked(d.name(), repo, fetched.version());
    }

    private static boolean satisfies(Operation op, ChartDependencies.Dependency d, String version) {
        try {
            return Constraints.satisfies(d.version(), version);
        } catch (IllegalArgumentException e) {
            throw failure(op, d, "has an invalid version/constraint format: " + e.getMessage());
        }
    }

    private static ChartDependencyException failure(Operation op, ChartDependencies.Dependency d, String what) {
        return new ChartDependencyException(op, d.name(), d.repository(), "dependency '" + d.name() + "' " + what + "; nothing was written", null);
    }

    /** Moves the staged archives into {@code charts/}, removes the archives they replace, writes the lock. */
    private static void commit(Operation op, Path dir, Downloaded done, String lockYaml) {
        Path charts = dir.resolve("charts");
        try {
            Files.createDirectories(charts);
            Set<String> fresh = new LinkedHashSet<>();
            try (Stream<Path> staged = Files.list(done.staging())) {
                for (Path f : staged.filter(Files::isRegularFile).toList()) {
                    fresh.add(f.getFileName().toString());
                    ChartPackager.moveInto(f, charts);
                }
            }
            try (Stream<Path> existing = Files.list(charts)) {
                for (Path f : existing.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".tgz")).toList()) {
                    if (!fresh.contains(f.getFileName().toString())) {
                        Files.delete(f);   // an outdated version of a dependency, as Helm removes it
                    }
                }
            }
            if (lockYaml != null) {
                Path tmp = Files.createTempFile(done.staging(), "Chart.lock", ".part");
                Files.writeString(tmp, lockYaml, StandardCharsets.UTF_8);
                Files.move(tmp, dir.resolve("Chart.lock"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot write the dependencies of " + dir + " into " + charts + " and Chart.lock", charts, e);
        } finally {
            dev.helmsdk.core.internal.WorkDirectory.deleteTree(done.staging());
        }
    }

    private static Path move(Operation op, Path file, Path directory) {
        try {
            return ChartPackager.moveInto(file, directory);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot stage " + file.getFileName(), directory, e);
        }
    }

    private static Path createDirectory(Operation op, Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot create a staging directory", p, e);
        }
    }
}
