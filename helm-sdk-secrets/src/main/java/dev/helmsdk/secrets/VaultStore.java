package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which Vault (or OpenBao) server a reference reads from and how it logs in: the key of the
 * resolver's client cache, so one client (one token, one mounts cache) serves each store
 * configuration. Built from the reference's parameters, falling back to the vendor's own
 * environment variables ({@code VAULT_*}; for {@code openbao} {@code BAO_*} first), as vals does.
 * Its {@link #toString()} names no credential.
 *
 * @param address   the server, {@code https://vault:8200}, without a trailing slash
 * @param namespace the namespace sent as {@code X-Vault-Namespace}, or {@code null}
 * @param auth      how to get a token
 * @param caCert    a PEM file of CAs to trust instead of the JDK's, or {@code null}
 * @param caPath    a directory of PEM files to trust instead of the JDK's, or {@code null}
 */
record VaultStore(URI address, String namespace, Auth auth, Path caCert, Path caPath) {

    /** How the client gets its token. */
    sealed interface Auth {
        /** Whether the token comes from a login that can be repeated. */
        default boolean canLogIn() {
            return !(this instanceof Token);
        }
    }

    /** A given token (from {@code VAULT_TOKEN}, a token file, or {@code ?token_env=}/{@code ?token_file=}). */
    record Token(String token, String source) implements Auth {
        @Override
        public String toString() {
            return "token from " + source;
        }
    }

    /** AppRole login at {@code auth/<mount>/login}. */
    record AppRole(String mount, String roleId, String secretId) implements Auth {
        @Override
        public String toString() {
            return "approle at auth/" + mount;
        }
    }

    /** Kubernetes login at {@code auth/<mount>/login} with the service account token read from {@code jwtFile} at each login. */
    record Kubernetes(String mount, String role, Path jwtFile) implements Auth {
        @Override
        public String toString() {
            return "kubernetes role " + role + " at auth/" + mount;
        }
    }

    /** Userpass login at {@code auth/<mount>/login/<username>}. */
    record UserPass(String mount, String username, String password) implements Auth {
        @Override
        public String toString() {
            return "userpass " + username + " at auth/" + mount;
        }
    }

    /**
     * The store {@code reference} reads from.
     *
     * @param reference   a {@code vault} or {@code openbao} reference
     * @param environment the environment variables
     * @throws VaultFailure {@code INVALID_REFERENCE} naming what to set
     */
    static VaultStore of(SecretReference reference, Function<String, String> environment) {
        Env env = new Env(reference, environment);
        URI address = address(env);
        String namespace = env.setting("namespace", "NAMESPACE").orElse(null);
        String caCert = env.variable("CACERT").orElse(null);
        String caPath = env.variable("CAPATH").orElse(null);
        return new VaultStore(address, namespace, auth(env), caCert == null ? null : Path.of(caCert),
                caPath == null ? null : Path.of(caPath));
    }

    private static URI address(Env env) {
        String address = env.param("address")
                .or(() -> env.param("host").map(host -> env.param("proto").orElse("https") + "://" + host))
                .or(() -> env.variable("ADDR"))
                .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "no " + env.product + " address: set "
                        + env.names("ADDR") + ", or add ?address=https://<host>:8200 to the reference"));
        try {
            URI uri = new URI(address.endsWith("/") ? address.substring(0, address.length() - 1) : address);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new URISyntaxException(address, "not http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new VaultFailure(Reason.INVALID_REFERENCE, "the " + env.product + " address '" + address
                    + "' is not an http(s)://host[:port] URL");
        }
    }

    private static Auth auth(Env env) {
        String method = env.setting("auth_method", "AUTH_METHOD").orElse("token").toLowerCase(Locale.ROOT);
        if (env.reference.param("secret_id").isPresent()) {
            // vals takes it, but the reference's text is recorded and shown in errors: a credential must not be in it.
            throw new VaultFailure(Reason.INVALID_REFERENCE, "a secret_id in the reference would be shown wherever the reference is; set "
                    + env.names("SECRET_ID") + " instead");
        }
        switch (method) {
            case "token":
                return token(env);
            case "approle": {
                String mount = env.param("login_mount").or(() -> env.variable("LOGIN_MOUNT_POINT")).orElse("approle");
                String roleId = env.setting("role_id", "ROLE_ID").orElseThrow(() -> missing(env, "approle", "ROLE_ID", "role_id"));
                String secretId = env.variable("SECRET_ID").orElseThrow(() -> missing(env, "approle", "SECRET_ID", null));
                return new AppRole(VaultResolver.trimSlashes(mount), roleId, secretId);
            }
            case "kubernetes": {
                String mount = env.param("login_mount").or(() -> env.variable("KUBERNETES_MOUNT_POINT")).orElse("kubernetes");
                String role = env.setting("role_id", "ROLE_ID").orElseThrow(() -> missing(env, "kubernetes", "ROLE_ID", "role_id"));
                String jwt = env.variable("KUBERNETES_JWT_TOKEN_PATH").orElse("/var/run/secrets/kubernetes.io/serviceaccount/token");
                return new Kubernetes(VaultResolver.trimSlashes(mount), role, Path.of(jwt));
            }
            case "userpass": {
                String mount = env.param("login_mount").or(() -> env.variable("LOGIN_MOUNT_POINT")).orElse("userpass");
                String username = env.setting("username", "USERNAME").orElseThrow(() -> missing(env, "userpass", "USERNAME", "username"));
                return new UserPass(VaultResolver.trimSlashes(mount), username, password(env));
            }
            default:
                throw new VaultFailure(Reason.INVALID_REFERENCE, "auth_method '" + method + "' is not supported: use token, approle, kubernetes or userpass");
        }
    }

    /** As vals: the variable {@code password_env} names, else the file {@code password_file}. */
    private static String password(Env env) {
        Optional<String> variable = env.setting("password_env", "PASSWORD_ENV");
        if (variable.isPresent()) {
            return Optional.ofNullable(env.environment.apply(variable.get())).filter(p -> !p.isEmpty())
                    .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "password_env names " + variable.get() + ", which is not set"));
        }
        Path file = env.setting("password_file", "PASSWORD_FILE").map(env::home)
                .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "auth_method=userpass needs a password: set "
                        + env.names("PASSWORD_ENV") + " to the name of the variable holding it, or " + env.names("PASSWORD_FILE")));
        return read(file).map(String::strip).filter(p -> !p.isEmpty())
                .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "password_file " + file + " cannot be read or is empty"));
    }

    private static VaultFailure missing(Env env, String method, String variable, String param) {
        return new VaultFailure(Reason.INVALID_REFERENCE, "auth_method=" + method + " needs " + env.names(variable)
                + (param == null ? "" : " (or ?" + param + "=)"));
    }

    private static Token token(Env env) {
        Optional<String> tokenEnv = env.param("token_env");
        if (tokenEnv.isPresent()) {
            String name = tokenEnv.get();
            String token = Optional.ofNullable(env.environment.apply(name)).map(String::strip).filter(t -> !t.isEmpty())
                    .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "token_env names " + name + ", which is not set"));
            return new Token(token, "environment variable " + name);
        }
        Optional<String> tokenFile = env.param("token_file");
        if (tokenFile.isPresent()) {
            Path file = env.home(tokenFile.get());
            String token = read(file).map(String::strip).filter(t -> !t.isEmpty())
                    .orElseThrow(() -> new VaultFailure(Reason.INVALID_REFERENCE, "token_file " + file + " cannot be read or is empty"));
            return new Token(token, "file " + file);
        }
        Optional<String> variable = env.variable("TOKEN");
        if (variable.isPresent()) {
            return new Token(variable.get().strip(), "environment variable " + env.names("TOKEN"));
        }
        // Like the vault CLI's token helper: the token file the CLI's `login` wrote (read, never written).
        for (String file : env.tokenFiles()) {
            Path path = env.home(file);
            Optional<String> token = read(path).map(String::strip).filter(t -> !t.isEmpty());
            if (token.isPresent()) {
                return new Token(token.get(), "file " + path);
            }
        }
        throw new VaultFailure(Reason.INVALID_REFERENCE, "no " + env.product + " token: set " + env.names("TOKEN")
                + ", log in with the CLI (it writes ~/.vault-token), or use ?auth_method=approle|kubernetes");
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "VaultStore[" + address + (namespace == null ? "" : ", namespace " + namespace) + ", " + auth
                + (caCert == null ? "" : ", CA " + caCert) + (caPath == null ? "" : ", CA path " + caPath) + "]";
    }

    /** The reference's parameters and the environment, with the scheme's variable prefixes. */
    private static final class Env {
        final SecretReference reference;
        final Function<String, String> environment;
        final boolean openbao;
        final String product;

        Env(SecretReference reference, Function<String, String> environment) {
            this.reference = reference;
            this.environment = environment;
            this.openbao = "openbao".equals(reference.scheme());
            this.product = openbao ? "OpenBao" : "Vault";
        }

        Optional<String> param(String name) {
            return reference.param(name).map(String::strip).filter(v -> !v.isEmpty());
        }

        /** {@code VAULT_<suffix>}, for openbao {@code BAO_<suffix>} first. */
        Optional<String> variable(String suffix) {
            Optional<String> bao = openbao ? get("BAO_" + suffix) : Optional.empty();
            return bao.or(() -> get("VAULT_" + suffix));
        }

        Optional<String> setting(String param, String suffix) {
            return param(param).or(() -> variable(suffix));
        }

        String names(String suffix) {
            return openbao ? "BAO_" + suffix + " (or VAULT_" + suffix + ")" : "VAULT_" + suffix;
        }

        List<String> tokenFiles() {
            Optional<String> configured = variable("TOKEN_FILE");
            if (configured.isPresent()) {
                return List.of(configured.get());
            }
            return openbao ? List.of("~/.bao-token", "~/.vault-token") : List.of("~/.vault-token");
        }

        Path home(String file) {
            if (file.startsWith("~/")) {
                String home = environment.apply("HOME");
                return home == null ? Path.of(file) : Path.of(home, file.substring(2));
            }
            return Path.of(file);
        }

        private Optional<String> get(String name) {
            return Optional.ofNullable(environment.apply(name)).filter(v -> !v.isBlank());
        }
    }
}
