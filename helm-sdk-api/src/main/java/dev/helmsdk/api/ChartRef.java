package dev.helmsdk.api;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a chart comes from. A closed set: a local directory, a local archive, a chart in a classic
 * HTTP(S) repository, or a chart in an OCI registry.
 *
 * <p>Creating a reference checks only its shape; whether the chart exists is checked when an
 * operation uses it, before anything is sent to the cluster.
 *
 * <p><b>Archive check.</b> Every chart archive, a local {@link Archive} or one downloaded from a
 * {@link Repository} or an {@link Oci} registry, is read once as a stream (nothing is extracted)
 * before Helm sees it and before the release is locked or any request reaches the cluster. It must
 * be a gzip-compressed tar holding one top directory with a {@code Chart.yaml}, and only regular
 * files and directories under it. Refused are: input that is not gzip; truncated or corrupt gzip
 * or tar data; absolute paths (also {@code C:/}); {@code ..} segments; symbolic and hard links;
 * devices and FIFOs; entries outside the top directory or a second top directory; a file over
 * 5 MiB or files of 100 MiB or more in all (Helm 3.21's own limits); more than 5,000 entries; more
 * than 1 MiB of PAX or long-name metadata before one entry; more than 100 decompressed bytes per
 * compressed byte once 10 MiB are decompressed (a compression bomb); more than 20 MiB downloaded or
 * 116 MiB read from a local file. PAX headers, GNU long names and sparse entries are read as Helm
 * reads them.
 */
public sealed interface ChartRef {

    /** A human-readable form for messages and logs, e.g. {@code oci://registry/charts/app:1.2.3}. */
    String describe();

    /** A chart directory on the local file system (contains {@code Chart.yaml}). */
    record Directory(Path path) implements ChartRef {
        /** Requires a non-null path. */
        public Directory {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * A packaged chart ({@code .tgz}) on the local file system. An archive that fails the
     * {@linkplain ChartRef archive check} is refused with {@link InvalidRequestException} naming
     * the path and the reason.
     */
    record Archive(Path path) implements ChartRef {
        /** Requires a non-null path. */
        public Archive {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * A chart in a classic Helm repository ({@code index.yaml} + archives). A downloaded archive
     * that fails the {@linkplain ChartRef archive check} is refused with {@link ChartSourceException}
     * ({@link ChartSourceException.Reason#INVALID_CONTENT}) naming this reference, the version it
     * resolved to, the archive's URL and the reason; nothing of it is stored.
     *
     * @param repositoryUrl the repository's base URL (http or https)
     * @param name          the chart's name in the repository
     * @param version       the chart version, or {@code null} for the latest
     */
    record Repository(URI repositoryUrl, String name, String version) implements ChartRef {
        /** Validates the URL scheme and the chart name. */
        public Repository {
            Objects.requireNonNull(repositoryUrl, "repositoryUrl");
            Objects.requireNonNull(name, "name");
            String scheme = repositoryUrl.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "chart repository URL must be http or https, was " + repositoryUrl + "; for OCI registries use ChartRef.oci(...)");
            }
            if (name.isBlank() || name.contains("/")) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "chart name in repository " + repositoryUrl + " must be a plain name, was '" + name + "'");
            }
        }

        /** The requested version, if one was given. */
        public Optional<String> requestedVersion() {
            return Optional.ofNullable(version);
        }

        @Override
        public String describe() {
            return repositoryUrl + " " + name + (version == null ? "" : ":" + version);
        }
    }

    /**
     * A chart in an OCI registry. A chart layer that fails the {@linkplain ChartRef archive check}
     * is refused with {@link ChartSourceException} ({@link ChartSourceException.Reason#INVALID_CONTENT})
     * naming this reference and tag and the reason; nothing of it is stored.
     *
     * @param reference the {@code oci://host/path/name} reference, without a tag
     * @param version   the chart version (tag), or {@code null} for the latest
     */
    record Oci(String reference, String version) implements ChartRef {
        /** Requires an {@code oci://} reference. */
        public Oci {
            Objects.requireNonNull(reference, "reference");
            if (!reference.startsWith("oci://") || reference.length() <= "oci://".length()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "OCI chart reference must start with oci:// and name a chart, was '" + reference + "'");
            }
        }

        /** The requested version, if one was given. */
        public Optional<String> requestedVersion() {
            return Optional.ofNullable(version);
        }

        @Override
        public String describe() {
            return reference + (version == null ? "" : ":" + version);
        }
    }

    /** A chart directory. */
    static ChartRef directory(Path path) {
        return new Directory(path);
    }

    /** A packaged chart archive. */
    static ChartRef archive(Path path) {
        return new Archive(path);
    }

    /**
     * A local chart: an archive when {@code path} is a regular file, otherwise a directory.
     */
    static ChartRef local(Path path) {
        Objects.requireNonNull(path, "path");
        return Files.isRegularFile(path) ? new Archive(path) : new Directory(path);
    }

    /** A chart in a classic repository; {@code version} may be {@code null} for the latest. */
    static ChartRef repository(String repositoryUrl, String name, String version) {
        Objects.requireNonNull(repositoryUrl, "repositoryUrl");
        Objects.requireNonNull(name, "name");
        return new Repository(URI.create(repositoryUrl), name, version);
    }

    /** A chart in an OCI registry; {@code version} may be {@code null} for the latest. */
    static ChartRef oci(String reference, String version) {
        return new Oci(reference, version);
    }
}
