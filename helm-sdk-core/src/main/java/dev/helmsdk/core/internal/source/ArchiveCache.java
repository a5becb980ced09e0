package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The downloaded chart archives, stored by digest in the cache directory: an archive is checked
 * before it is stored, checked again on every reuse, and the directory is kept bounded.
 * Thread-safe (files are written under a temporary name and moved into place).
 */
final class ArchiveCache {

    // Logged under RemoteCharts, as before it was split, so existing log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);
    /** Charts larger than this are refused (Helm's own limit for a chart archive is 20 MiB). */
    static final long MAX_ARCHIVE_BYTES = 20L << 20;
    /** Archives kept in the cache directory. */
    static final int MAX_ARCHIVES = 64;
    /** An archive used this recently is never pruned. */
    static final java.time.Duration ARCHIVE_GRACE = java.time.Duration.ofMinutes(10);
    /** The archive check for downloads: the default limits, within the download limit. */
    static final ChartArchives.Limits ARCHIVE_LIMITS = ChartArchives.DEFAULT.withMaxCompressedBytes(MAX_ARCHIVE_BYTES);

    private final SourceHttp http;
    private final Path cacheDir;

    ArchiveCache(SourceHttp http, Path cacheDir) {
        this.http = http;
        this.cacheDir = cacheDir;
    }

    /**
     * Downloads (or reuses, by digest) an archive; verifies the digest when one is known and checks
     * the archive ({@link ChartArchives}) before a byte of it is stored, so a refused archive
     * leaves nothing in the cache. A cached archive is checked again on every use (digest and
     * content; a few milliseconds): one that was corrupted on disk is deleted and fetched again.
     *
     * @param chart the chart as the user named it, for messages (never a cache file name)
     */
    Path download(Operation op, String release, SourceAccess access, URI uri, String digest, SourceHttp.Authorizer auth,
                  String label, String chart) {
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir);
            if (digest != null) {
                Path cached = cacheDir.resolve("sha256-" + digest + ".tgz");
                if (Files.isRegularFile(cached)) {
                    Optional<String> damage = damage(cached, digest);
                    if (damage.isEmpty()) {
                        // Marks it recently used, so pruning keeps it.
                        Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
                        access.archiveWasCached();
                        return cached;
                    }
                    LOG.warn("{}: the cached archive of chart {} is damaged ({}); fetching it again", op.tag(), chart, damage.get());
                    Files.deleteIfExists(cached);
                }
            }
            SourceHttp.Response r = http.get(uri, Map.of(), access.tls, auth);
            if (r.status() != 200) {
                throw access.status(op, release, r, "chart archive");
            }
            if (r.body().length > MAX_ARCHIVE_BYTES) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart archive " + uri + " is " + r.body().length + " bytes, more than Helm's limit of " + MAX_ARCHIVE_BYTES, null);
            }
            String actual = Digests.sha256(r.body());
            if (digest != null && !digest.equals(actual)) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart archive " + uri + " has digest sha256:" + actual + " but the repository lists sha256:" + digest
                                + "; the archive was changed or corrupted, nothing was installed", null);
            }
            try {
                ChartArchives.check(r.body(), ARCHIVE_LIMITS);
            } catch (ChartArchives.Refused refused) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart " + chart + " was refused (archive " + uri + "): " + refused.getMessage()
                                + "; it was neither stored nor given to Helm, and nothing was sent to the cluster", refused);
            }
            Path target = cacheDir.resolve("sha256-" + actual + ".tgz");
            tmp = Files.createTempFile(cacheDir, label.replaceAll("[^A-Za-z0-9._-]", "_") + "-", ".part");
            Files.write(tmp, r.body());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            prune();
            return target;
        } catch (SourceFailure f) {
            throw access.fail(op, release, f);
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "cannot store chart archive from " + uri + " in " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /** Why a cached archive can no longer be used (its digest or its content), or empty when it can. */
    private static Optional<String> damage(Path cached, String digest) {
        try {
            if (Files.size(cached) > MAX_ARCHIVE_BYTES) {
                return Optional.of("larger than " + MAX_ARCHIVE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(cached);
            if (!digest.equals(Digests.sha256(bytes))) {
                return Optional.of("its digest is no longer sha256:" + digest);
            }
            ChartArchives.check(bytes, ARCHIVE_LIMITS);
            return Optional.empty();
        } catch (ChartArchives.Refused e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /**
     * Keeps the archive cache bounded (it lives as long as the work directory, which a caller may
     * keep across restarts): beyond {@link #MAX_ARCHIVES}, the least recently used are deleted,
     * but never one used in the last {@link #ARCHIVE_GRACE} (Helm may be reading it).
     */
    private void prune() {
        try (var files = Files.list(cacheDir)) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().startsWith("sha256-")).toList();
            if (archives.size() <= MAX_ARCHIVES) {
                return;
            }
            long cutoff = System.currentTimeMillis() - ARCHIVE_GRACE.toMillis();
            Map<Path, Long> used = new LinkedHashMap<>();
            for (Path a : archives) {
                used.put(a, Files.getLastModifiedTime(a).toMillis());
            }
            List<Path> oldestFirst = used.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
            for (int i = 0; i < oldestFirst.size() - MAX_ARCHIVES; i++) {
                if (used.get(oldestFirst.get(i)) < cutoff) {
                    Files.deleteIfExists(oldestFirst.get(i));
                }
            }
        } catch (IOException e) {
            LOG.debug("could not prune the chart archive cache in {}: {}", cacheDir, e.toString());
        }
    }
}
