package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The token of one store and its lifecycle: a given token is looked up once
 * ({@code auth/token/lookup-self}) to learn its TTL; a login (AppRole, Kubernetes) brings its TTL
 * with it. At two thirds of the TTL (when Vault's own lifetime watcher renews) a renewable token is
 * renewed ({@code auth/token/renew-self}); one that is not renewable, or whose renewal is refused
 * or no longer extends it (its max TTL), is replaced by a new login. Checked at each use, on the
 * caller's thread: no background thread. Concurrent first callers log in once.
 */
final class VaultTokens {

    /**
     * A token and when to act on it; {@code refreshAt == null}: never (no TTL, or nothing can be done).
     * {@code ttl} is the TTL it was issued (or first looked up) with, which renewals are measured against.
     */
    private record Lease(String token, Instant refreshAt, boolean renewable, long ttl) {
        boolean due(Instant now) {
            return refreshAt != null && !now.isBefore(refreshAt);
        }

        @Override
        public String toString() {
            return "Lease[refreshAt=" + refreshAt + ", renewable=" + renewable + "]";
        }
    }

    private final VaultHttp http;
    private final VaultStore.Auth auth;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Lease lease;

    VaultTokens(VaultHttp http, VaultStore.Auth auth, Clock clock) {
        this.http = http;
        this.auth = auth;
        this.clock = clock;
    }

    /** The token to send now, logging in, looking up or renewing first when due. */
    String token(Supplier<Duration> timeLeft) {
        Lease current = lease;
        if (current != null && !current.due(clock.instant())) {
            return current.token();
        }
        try {
            if (!lock.tryLock(timeLeft.get().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new VaultFailure(Reason.TIMEOUT, "the time ran out waiting for another thread's " + http.product() + " login");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultFailure(Reason.TIMEOUT, "interrupted waiting for another thread's " + http.product() + " login");
        }
        try {
            current = lease;
            if (current == null || current.due(clock.instant())) {
                current = refresh(current, timeLeft);
                lease = current;
            }
            return current.token();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets {@code token} after the server refused it, so the next {@link #token} logs in again.
     *
     * @return whether a new login may help: the token came from a login and was still the current one
     */
    boolean refused(String token) {
        if (!auth.canLogIn()) {
            return false;
        }
        lock.lock();
        try {
            Lease current = lease;
            if (current != null && current.token().equals(token)) {
                lease = null;
                return true;
            }
            return current != null; // another thread already logged in anew: try its token
        } finally {
            lock.unlock();
        }
    }

    private Lease refresh(Lease current, Supplier<Duration> timeLeft) {
        if (current == null) {
            return auth instanceof VaultStore.Token given ? lookUp(given.token(), timeLeft) : logIn(timeLeft);
        }
        if (current.renewable()) {
            try {
                return renew(current, timeLeft);
            } catch (VaultFailure f) {
                if (f.reason() == Reason.TIMEOUT || f.reason() == Reason.UNREACHABLE) {
                    throw f; // the server is away: a login would fail the same way
                }
                if (!auth.canLogIn()) {
                    return new Lease(current.token(), null, false, 0); // keep the given token until the server refuses it
                }
            }
        }
        return auth.canLogIn() ? logIn(timeLeft) : new Lease(current.token(), null, false, 0);
    }

    private Lease lookUp(String token, Supplier<Duration> timeLeft) {
        VaultHttp.Response answer = http.send("GET", "auth/token/lookup-self", null, token, null, "looking up its token", timeLeft);
        if (!answer.ok()) {
            if (VaultHttp.reasonOf(answer.status()) != Reason.DENIED) {
                answer.orFail(http.product(), "looking up its token");
            }
            // A token without the default policy may not look itself up yet still read: use it as it is.
            return new Lease(token, null, false, 0);
        }
        JsonNode data = answer.body().path("data");
        return lease(token, data.path("ttl").asLong(0), data.path("renewable").asBoolean(false));
    }

    private Lease renew(Lease current, Supplier<Duration> timeLeft) {
        JsonNode auth = http.send("POST", "auth/token/renew-self", null, current.token(), Map.of(), "renewing its token", timeLeft)
                .orFail(http.product(), "renewing its token").path("auth");
        long ttl = auth.path("lease_duration").asLong(0);
        // A renewal cut short by the token's max TTL is the last one: at its refresh time a login follows.
        boolean more = auth.path("renewable").asBoolean(false) && ttl * 2 >= current.ttl();
        Lease renewed = lease(current.token(), ttl, more);
        return new Lease(renewed.token(), renewed.refreshAt(), renewed.renewable(), current.ttl());
    }

    private Lease logIn(Supplier<Duration> timeLeft) {
        String path;
        Map<String, String> body;
        String what;
        if (auth instanceof VaultStore.AppRole appRole) {
            path = "auth/" + VaultHttp.encodePath(appRole.mount()) + "/login";
            body = Map.of("role_id", appRole.roleId(), "secret_id", appRole.secretId());
            what = "logging in with AppRole at auth/" + appRole.mount();
        } else if (auth instanceof VaultStore.Kubernetes kubernetes) {
            String jwt;
            try {
                jwt = Files.readString(kubernetes.jwtFile()).strip(); // read at each login: projected tokens rotate
            } catch (IOException e) {
                throw new VaultFailure(Reason.INVALID_REFERENCE, "cannot read the Kubernetes service account token " + kubernetes.jwtFile()
                        + " for auth_method=kubernetes (set VAULT_KUBERNETES_JWT_TOKEN_PATH)");
            }
            path = "auth/" + VaultHttp.encodePath(kubernetes.mount()) + "/login";
            body = Map.of("role", kubernetes.role(), "jwt", jwt);
            what = "logging in with Kubernetes role " + kubernetes.role() + " at auth/" + kubernetes.mount();
        } else if (auth instanceof VaultStore.UserPass userPass) {
            path = "auth/" + VaultHttp.encodePath(userPass.mount()) + "/login/" + VaultHttp.encodePath(userPass.username());
            body = Map.of("password", userPass.password());
            what = "logging in as " + userPass.username() + " at auth/" + userPass.mount();
        } else {
            throw new IllegalStateException("a given token has no login");
        }
        VaultHttp.Response answer = http.send("POST", path, null, null, body, what, timeLeft);
        if (answer.status() == 404) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, http.product() + " has no auth method at " + path.substring(0, path.indexOf("/login"))
                    + " (HTTP 404): set the login mount with ?login_mount= or VAULT_LOGIN_MOUNT_POINT / VAULT_KUBERNETES_MOUNT_POINT");
        }
        if (answer.status() == 400) {
            throw new VaultFailure(Reason.DENIED, http.product() + " refused the login (HTTP 400) " + what + ": check the role and its credentials");
        }
        JsonNode granted = answer.orFail(http.product(), what).path("auth");
        String token = granted.path("client_token").asText("");
        if (token.isEmpty()) {
            throw new VaultFailure(Reason.DENIED, http.product() + " answered without a token " + what);
        }
        return lease(token, granted.path("lease_duration").asLong(0), granted.path("renewable").asBoolean(false));
    }

    private Lease lease(String token, long ttlSeconds, boolean renewable) {
        if (ttlSeconds <= 0) {
            return new Lease(token, null, false, 0); // a token without TTL (root, or periodic with none left to learn)
        }
        Instant refreshAt = clock.instant().plusMillis(ttlSeconds * 2000 / 3);
        // A given token that cannot be renewed is used until the server refuses it: nothing else can be done.
        return renewable || auth.canLogIn() ? new Lease(token, refreshAt, renewable, ttlSeconds) : new Lease(token, null, false, 0);
    }

    @Override
    public String toString() {
        return "VaultTokens[" + auth + ", " + lease + "]";
    }
}
