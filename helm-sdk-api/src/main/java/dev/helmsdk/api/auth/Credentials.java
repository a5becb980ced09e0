package dev.helmsdk.api.auth;

import java.util.Objects;

/**
 * One way of authenticating to a chart repository or OCI registry. A closed set; every record
 * redacts its secret parts in {@code toString()} so credentials can be logged safely by accident.
 * {@code equals}/{@code hashCode} compare all components (secrets included).
 */
public sealed interface Credentials
        permits Credentials.BasicAuth, Credentials.BearerToken, Credentials.ClientCertificate, Credentials.TrustedCertificates {

    /** The redaction marker used in place of secret values. */
    String REDACTED = "****";

    /** A short method name for messages, never a secret: {@code basic}, {@code bearer}, {@code client-certificate}, {@code trusted-certificates}. */
    String method();

    /** Username and password (HTTP basic auth, or an OCI registry login). */
    record BasicAuth(String username, String password) implements Credentials {
        /** Requires a non-blank username and a non-null password. */
        public BasicAuth {
            if (Objects.requireNonNull(username, "username").isBlank()) {
                throw new IllegalArgumentException("username must not be blank");
            }
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String method() {
            return "basic";
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=" + REDACTED + "]";
        }
    }

    /** A bearer token (OAuth2 / registry identity token). */
    record BearerToken(String token) implements Credentials {
        /** Requires a non-blank token. */
        public BearerToken {
            if (Objects.requireNonNull(token, "token").isBlank()) {
                throw new IllegalArgumentException("token must not be blank");
            }
        }

        @Override
        public String method() {
            return "bearer";
        }

        @Override
        public String toString() {
            return "BearerToken[token=" + REDACTED + "]";
        }
    }

    /** A TLS client certificate (PEM, possibly a chain) and its private key (PEM). */
    record ClientCertificate(String certificatePem, String privateKeyPem) implements Credentials {
        /** Requires both PEM texts. */
        public ClientCertificate {
            if (Objects.requireNonNull(certificatePem, "certificatePem").isBlank()) {
                throw new IllegalArgumentException("certificatePem must not be blank");
            }
            if (Objects.requireNonNull(privateKeyPem, "privateKeyPem").isBlank()) {
                throw new IllegalArgumentException("privateKeyPem must not be blank");
            }
        }

        @Override
        public String method() {
            return "client-certificate";
        }

        /** The certificate is public, but only its length is shown to keep log lines short. */
        @Override
        public String toString() {
            return "ClientCertificate[certificatePem=<" + certificatePem.length() + " chars>, privateKeyPem=" + REDACTED + "]";
        }
    }

    /** Extra CA certificates (PEM bundle) to trust for this repository. Not a secret, but shortened in {@code toString()}. */
    record TrustedCertificates(String pem) implements Credentials {
        /** Requires a non-blank PEM bundle. */
        public TrustedCertificates {
            if (Objects.requireNonNull(pem, "pem").isBlank()) {
                throw new IllegalArgumentException("pem must not be blank");
            }
        }

        @Override
        public String method() {
            return "trusted-certificates";
        }

        @Override
        public String toString() {
            return "TrustedCertificates[pem=<" + pem.length() + " chars>]";
        }
    }
}
