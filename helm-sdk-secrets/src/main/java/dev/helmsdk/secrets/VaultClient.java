package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads KV secrets from one store, the way vals (and the vault CLI) do: a preflight
 * {@code GET sys/internal/ui/mounts/<path>} tells the mount and its KV version, cached per mount
 * (mount versions do not change at run time), then v2 reads {@code <mount>/data/<rest>}
 * ({@code ?version=}) and v1 reads {@code <path>}. Thread-safe; concurrent first reads of one path
 * share one preflight.
 */
final class VaultClient {

    /** A KV mount: its path with a trailing slash ({@code secret/}, or {@code ""} when the server named none) and version. */
    record Mount(String path, int version) {
    }

    private final VaultHttp http;
    private final VaultTokens tokens;
    private final ObjectMapper json;
    private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Mount>> preflights = new ConcurrentHashMap<>();

    VaultClient(VaultStore store, String product, ObjectMapper json, Clock clock) {
        this.http = new VaultHttp(store, product, json);
        this.tokens = new VaultTokens(http, store.auth(), clock);
        this.json = json;
    }

    /**
     * The data of the secret at {@code path}.
     *
     * @param path     the secret's path as written ({@code secret/app} or {@code secret/data/app})
     * @param mount    the mount, when the reference gives it (no preflight), else empty
     * @param version  the KV v2 version, or {@code null} for the latest
     * @param timeLeft the operation's time left
     * @return the secret's keys and values, as Vault's JSON holds them
     */
    Map<String, Object> read(String path, Optional<Mount> mount, String version, Supplier<Duration> timeLeft) {
        Mount m = mount.orElseGet(() -> mountOf(path, timeLeft));
        String apiPath;
        String query = null;
        if (m.version() == 2) {
            apiPath = v2DataPath(path, m.path());
            query = version == null ? null : "version=" + version;
        } else if (version != null) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, path + " is on a KV version 1 mount, which keeps no versions: remove ?version=");
        } else {
            apiPath = path;
        }
        String what = "reading " + apiPath + (version == null ? "" : " version " + version);
        JsonNode data = authenticated(VaultHttp.encodePath(apiPath), what, query, timeLeft).orFail(http.product(), what).path("data");
        if (m.version() == 2) {
            data = data.path("data"); // v2 wraps the secret's data with its metadata; null for a deleted version
        }
        if (!data.isObject()) {
            throw new VaultFailure(Reason.NOT_FOUND, http.product() + " has no data at " + apiPath
                    + (m.version() == 2 ? " (a deleted or destroyed version)" : ""));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = json.convertValue(data, LinkedHashMap.class);
        return values;
    }

    /** {@code secret/app} on mount {@code secret/} is {@code secret/data/app}; a path already naming {@code data/} is kept. */
    static String v2DataPath(String path, String mount) {
        String m = mount;
        // A mount reported with its namespace (ns1/secret/) for a path without it: drop leading segments, as the vault CLI.
        while (!m.isEmpty() && !(path + "/").startsWith(m)) {
            int slash = m.indexOf('/');
            m = slash < 0 ? "" : m.substring(slash + 1);
        }
        if (m.isEmpty()) {
            int slash = path.indexOf('/');
            m = slash < 0 ? path + "/" : path.substring(0, slash + 1);
        }
        if ((path + "/").equals(m) || path.equals(m)) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, path + " names the KV mount itself, not a secret in it");
        }
        String rest = path.substring(m.length());
        return rest.startsWith("data/") ? path : m + "data/" + rest;
    }

    /** Sends with the store's token; a login's token refused with 403 (revoked early) is replaced once, then the answer stands. */
    private VaultHttp.Response authenticated(String apiPath, String what, String query, Supplier<Duration> timeLeft) {
        String token = tokens.token(timeLeft);
        VaultHttp.Response answer = http.send("GET", apiPath, query, token, null, what, timeLeft);
        if (answer.status() == 403 && tokens.refused(token)) {
            answer = http.send("GET", apiPath, query, tokens.token(timeLeft), null, what, timeLeft);
        }
        return answer;
    }

    private Mount mountOf(String path, Supplier<Duration> timeLeft) {
        Optional<Mount> cached = cached(path);
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<Mount> mine = new CompletableFuture<>();
        CompletableFuture<Mount> running = preflights.putIfAbsent(path, mine);
        if (running != null) {
            return await(running, path, timeLeft);
        }
        try {
            Mount m = cached(path).orElseGet(() -> preflight(path, timeLeft));
            mounts.put(m.path().isEmpty() ? path : m.path(), m);
            mine.complete(m);
            return m;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            preflights.remove(path, mine);
        }
    }

    /** A cached mount covering {@code path} (segment-safe: {@code secret/} covers {@code secret/a}, not {@code secretv2/a}). */
    private Optional<Mount> cached(String path) {
        Mount exact = mounts.get(path);
        if (exact != null) {
            return Optional.of(exact);
        }
        return mounts.values().stream().filter(m -> !m.path().isEmpty() && (path + "/").startsWith(m.path()))
                .max((a, b) -> Integer.compare(a.path().length(), b.path().length()));
    }

    private Mount await(CompletableFuture<Mount> running, String path, Supplier<Duration> timeLeft) {
        try {
            return running.get(timeLeft.get().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VaultFailure f) {
                throw new VaultFailure(f.reason(), f.getMessage());
            }
            throw new VaultFailure(Reason.UNREACHABLE, "the mounts preflight for " + path + " failed");
        } catch (TimeoutException e) {
            throw new VaultFailure(Reason.TIMEOUT, "the time ran out waiting for the mounts preflight of " + path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultFailure(Reason.TIMEOUT, "interrupted waiting for the mounts preflight of " + path);
        }
    }

    private Mount preflight(String path, Supplier<Duration> timeLeft) {
        String what = "asking which KV mount holds " + path + " (sys/internal/ui/mounts)";
        VaultHttp.Response answer = authenticated("sys/internal/ui/mounts/" + VaultHttp.encodePath(path), what, null, timeLeft);
        if (answer.status() == 404) {
            return new Mount("", 1); // as the vault CLI: a server without the endpoint has only KV v1
        }
        if (answer.status() == 403) {
            throw new VaultFailure(Reason.DENIED, http.product() + " answered HTTP 403 (permission denied) " + what
                    + "; if the token may read the secret but not sys/, name the KV version and mount in the reference: ?kv_version=2&mount=<mount>");
        }
        JsonNode data = answer.orFail(http.product(), what).path("data");
        String mountPath = data.path("path").asText("");
        if (!mountPath.isEmpty() && !mountPath.endsWith("/")) {
            mountPath += "/";
        }
        return new Mount(mountPath, "2".equals(data.path("options").path("version").asText("")) ? 2 : 1);
    }

    @Override
    public String toString() {
        return "VaultClient[" + http + ", mounts " + mounts.keySet() + "]";
    }
}
