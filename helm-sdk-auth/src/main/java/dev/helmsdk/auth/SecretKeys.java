package dev.helmsdk.auth;

/**
 * Key (or file) names holding each credential part in a Secret, a mounted directory or the
 * environment.
 *
 * @param username    the user name
 * @param password    the password (with {@code username})
 * @param token       a bearer token
 * @param certificate a PEM client certificate (with {@code privateKey})
 * @param privateKey  the PEM private key of the client certificate
 * @param ca          a PEM CA bundle to trust (only used together with another method)
 */
public record SecretKeys(String username, String password, String token, String certificate, String privateKey, String ca) {
    /** Requires every key name. */
    public SecretKeys {
        java.util.Objects.requireNonNull(username, "username");
        java.util.Objects.requireNonNull(password, "password");
        java.util.Objects.requireNonNull(token, "token");
        java.util.Objects.requireNonNull(certificate, "certificate");
        java.util.Objects.requireNonNull(privateKey, "privateKey");
        java.util.Objects.requireNonNull(ca, "ca");
    }

    /** {@code username}, {@code password}, {@code token}, {@code tls.crt}, {@code tls.key}, {@code ca.crt}. */
    public static final SecretKeys DEFAULT = new SecretKeys("username", "password", "token", "tls.crt", "tls.key", "ca.crt");
}
