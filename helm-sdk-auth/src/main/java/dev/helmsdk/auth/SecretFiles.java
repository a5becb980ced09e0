package dev.helmsdk.auth;

import dev.helmsdk.api.auth.Credentials;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns named values (files in a mounted directory, keys of a Secret, environment variables)
 * into credentials. Names used: username + password, token, tls.crt + tls.key, ca.crt.
 * Messages name the keys only.
 */
final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * Reads values through {@code lookup} (returns null when absent) and builds the methods, in
     * order: client certificate, basic, bearer, trusted CAs. {@code where} prefixes messages.
     */
    public static List<Credentials> read(SecretKeys keys, Function<String, String> lookup, String where) {
        List<Credentials> out = new ArrayList<>();
        String cert = blankToNull(lookup.apply(keys.certificate()));
        String key = blankToNull(lookup.apply(keys.privateKey()));
        if ((cert == null) != (key == null)) {
            throw new IllegalStateException(where + " has " + (cert != null ? keys.certificate() : keys.privateKey())
                    + " but no " + (cert != null ? keys.privateKey() : keys.certificate()));
        }
        if (cert != null) {
            out.add(new Credentials.ClientCertificate(cert, key));
        }
        String user = blankToNull(lookup.apply(keys.username()));
        String pass = lookup.apply(keys.password());
        if (user != null && pass == null) {
            throw new IllegalStateException(where + " has " + keys.username() + " but no " + keys.password());
        }
        if (user == null && pass != null) {
            throw new IllegalStateException(where + " has " + keys.password() + " but no " + keys.username());
        }
        if (user != null) {
            out.add(new Credentials.BasicAuth(user, stripNewline(pass)));
        }
        String token = blankToNull(lookup.apply(keys.token()));
        if (token != null) {
            out.add(new Credentials.BearerToken(token.strip()));
        }
        String ca = blankToNull(lookup.apply(keys.ca()));
        if (ca != null && !out.isEmpty()) {
            out.add(new Credentials.TrustedCertificates(ca));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : stripNewline(s);
    }

    /** Files written with {@code echo} end in a newline that is not part of the secret. */
    private static String stripNewline(String s) {
        String r = s;
        while (r.endsWith("\n") || r.endsWith("\r")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
