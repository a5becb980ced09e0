package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * vals' {@code vault} and {@code openbao} schemes: a key of a KV secret in HashiCorp Vault or OpenBao
 * (the same HTTP API), {@code ref+vault://secret/app#/password}, or without a fragment the secret's
 * whole data as a map. KV v1 and v2 are told apart as vals does, by the mounts preflight
 * ({@code sys/internal/ui/mounts}, once per mount); on a v2 mount {@code secret/app} and
 * {@code secret/data/app} name the same secret, and {@code ?version=N} reads an older version.
 * {@code ?kv_version=1|2} (with {@code &mount=<mount>}, by default the path's first segment) skips
 * the preflight, for tokens that may not read {@code sys/}.
 *
 * <p>Configured as the vault CLI and vals are, a reference's parameters first, then the environment
 * ({@code VAULT_*}; for {@code openbao} {@code BAO_*} first, then {@code VAULT_*}):
 * {@code ?address=} or {@code VAULT_ADDR}; {@code ?namespace=} or {@code VAULT_NAMESPACE};
 * {@code VAULT_CACERT} / {@code VAULT_CAPATH} (the CAs trusted instead of the JDK's);
 * {@code ?auth_method=} or {@code VAULT_AUTH_METHOD}: {@code token} (default: {@code ?token_env=},
 * {@code ?token_file=}, {@code VAULT_TOKEN}, else the file {@code VAULT_TOKEN_FILE} or
 * {@code ~/.vault-token}, read only), {@code approle} ({@code ?role_id=} or {@code VAULT_ROLE_ID},
 * {@code VAULT_SECRET_ID}, mount {@code ?login_mount=} or {@code VAULT_LOGIN_MOUNT_POINT}, default
 * {@code approle}) or {@code kubernetes} (the role in {@code ?role_id=} or {@code VAULT_ROLE_ID}, the
 * service account token at {@code VAULT_KUBERNETES_JWT_TOKEN_PATH} or
 * {@code /var/run/secrets/kubernetes.io/serviceaccount/token}, mount {@code ?login_mount=} or
 * {@code VAULT_KUBERNETES_MOUNT_POINT}, default {@code kubernetes}) or {@code userpass}
 * ({@code ?username=} or {@code VAULT_USERNAME}, the password in the variable {@code ?password_env=} or
 * {@code VAULT_PASSWORD_ENV} names, else the file {@code ?password_file=} or {@code VAULT_PASSWORD_FILE},
 * mount {@code VAULT_LOGIN_MOUNT_POINT}, default {@code userpass}). {@code ?decode=base64} decodes
 * the selected value. Unlike vals, a {@code secret_id} in the reference is refused (the reference is
 * shown in errors and recorded), and unknown parameters are an error.
 *
 * <p>One client per store configuration (address, namespace, authentication, CA), kept for this
 * resolver's life: one login, renewed at two thirds of its TTL and repeated when renewal is refused
 * or exhausted. Every request ends within the operation's time left. Thread-safe.
 */
public final class VaultResolver implements SecretResolver {

    private static final Set<String> PARAMS = Set.of("address", "host", "proto", "namespace", "auth_method", "role_id", "secret_id",
            "token_env", "token_file", "login_mount", "username", "password_env", "password_file", "version", "decode", "kv_version", "mount");

    private final Function<String, String> environment;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<VaultStore, VaultClient> clients = new ConcurrentHashMap<>();

    /** Configured from this process's environment ({@link System#getenv(String)}). */
    public VaultResolver() {
        this(System::getenv);
    }

    /**
     * Configured from {@code environment}: a variable's value, or {@code null} when it is not set.
     *
     * @param environment the variables, e.g. {@code Map.of("VAULT_ADDR", "https://vault:8200", ...)::get}
     */
    public VaultResolver(Function<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    /** With the clock token lifetimes are measured by (tests). */
    VaultResolver(Function<String, String> environment, Clock clock) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Without {@code decode}, a fragment selects from the secret's data map: one read serves every key of a secret. */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return reference.param("decode").isEmpty();
    }

    @Override
    public Set<String> schemes() {
        return Set.of("vault", "openbao");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        try {
            for (String param : reference.params().keySet()) {
                if (!PARAMS.contains(param)) {
                    throw new VaultFailure(Reason.INVALID_REFERENCE, "unknown parameter '" + param + "'; known: " + new java.util.TreeSet<>(PARAMS));
                }
            }
            String path = trimSlashes(reference.path());
            if (path.isEmpty()) {
                throw new VaultFailure(Reason.INVALID_REFERENCE, "no secret path: write ref+" + reference.scheme() + "://<mount>/<secret>#/<key>");
            }
            VaultStore store = VaultStore.of(reference, environment);
            String product = "openbao".equals(reference.scheme()) ? "OpenBao" : "Vault";
            VaultClient client = clients.computeIfAbsent(store, s -> new VaultClient(s, product, json, clock));
            Map<String, Object> data = client.read(path, mount(reference, path), version(reference), context::timeLeft);
            Object value = reference.select(data).orElseThrow(() -> new VaultFailure(Reason.MISSING_KEY,
                    "the secret " + path + " has no key " + reference.fragment().orElse("")));
            return decode(reference, value);
        } catch (VaultFailure f) {
            throw SecretResolutionException.of(context, reference, this, f.reason(), f.getMessage());
        }
    }

    /** {@code ?kv_version=} (and {@code ?mount=}): the mount as the reference gives it, so no preflight is needed. */
    private static Optional<VaultClient.Mount> mount(SecretReference reference, String path) {
        Optional<String> kv = reference.param("kv_version").map(String::strip);
        Optional<String> mount = reference.param("mount").map(VaultResolver::trimSlashes).filter(m -> !m.isEmpty());
        if (kv.isEmpty()) {
            if (mount.isPresent()) {
                throw new VaultFailure(Reason.INVALID_REFERENCE, "?mount= needs ?kv_version=1 or 2 with it");
            }
            return Optional.empty();
        }
        if (!kv.get().equals("1") && !kv.get().equals("2")) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, "kv_version must be 1 or 2, not '" + kv.get() + "'");
        }
        String m = mount.orElse(path.contains("/") ? path.substring(0, path.indexOf('/')) : path) + "/";
        if (!(path + "/").startsWith(m)) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, "the path " + path + " is not under ?mount=" + m);
        }
        return Optional.of(new VaultClient.Mount(m, Integer.parseInt(kv.get())));
    }

    private static String version(SecretReference reference) {
        Optional<String> version = reference.param("version").map(String::strip).filter(v -> !v.isEmpty());
        if (version.isPresent() && !version.get().matches("[0-9]{1,9}")) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, "version must be a number, not '" + version.get() + "'");
        }
        return version.orElse(null);
    }

    private static Object decode(SecretReference reference, Object value) {
        String decode = reference.param("decode").orElse("raw");
        switch (decode) {
            case "raw":
                return value;
            case "base64":
                if (!(value instanceof String text)) {
                    throw new VaultFailure(Reason.INVALID_REFERENCE, "decode=base64 needs a fragment selecting a text value");
                }
                try {
                    return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new VaultFailure(Reason.INVALID_REFERENCE, "decode=base64, but the selected value is not base64");
                }
            default:
                throw new VaultFailure(Reason.INVALID_REFERENCE, "decode must be raw or base64, not '" + decode + "'");
        }
    }

    static String trimSlashes(String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    @Override
    public String toString() {
        return "VaultResolver[vault, openbao; " + clients.size() + " store(s)]";
    }
}
