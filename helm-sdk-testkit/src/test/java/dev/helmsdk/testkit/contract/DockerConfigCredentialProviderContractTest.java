package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.DockerConfigCredentialProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract for {@link DockerConfigCredentialProvider}, over a {@code config.json} in a temporary
 * directory. {@link HelmRegistryConfigCredentialProviderContractTest} reuses it for Helm's file.
 */
class DockerConfigCredentialProviderContractTest extends StoredCredentialProviderContract {

    static final String PASSWORD = "docker-canary-pw-4d7e2b";
    static final String ROTATED = "docker-rotated-pw-8a5c1f";
    static final String TOKEN = "docker-canary-token-3f9b6d";

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void writeConfig() throws IOException {
        file = Files.createDirectories(dir.resolve("registry")).resolve("config.json");
        write(PASSWORD);
    }

    /**
     * "robot:" is 6 characters, so Base64 of "robot:password" (the auth field) contains Base64 of the
     * password and the suite's Base64 canary check covers leaks of the auth value too.
     */
    void write(String password) {
        String auth = Base64.getEncoder().encodeToString(("robot:" + password).getBytes(StandardCharsets.UTF_8));
        try {
            Files.writeString(file, """
                    {"auths": {
                      "registry.example.com:5000": {"auth": "%s"},
                      "tokens.example.com": {"identitytoken": "%s"}
                    }}
                    """.formatted(auth, TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected CredentialProvider provider() {
        return new DockerConfigCredentialProvider(file);
    }

    @Override
    protected URI knownRepository() {
        return URI.create("oci://registry.example.com:5000/charts/shop");
    }

    @Override
    protected URI unknownRepository() {
        return URI.create("oci://registry.example.com:6000/charts");
    }

    @Override
    protected Set<String> secretValues() {
        return Set.of(PASSWORD, ROTATED, TOKEN);
    }

    /** A new {@code docker login} rewrites the file. */
    @Override
    protected void rotate() {
        write(ROTATED);
    }

    /** Truncated JSON ending in the password: the parser's own message would quote it. */
    @Override
    protected String breakSource() {
        try {
            Files.writeString(file, "{\"auths\": {\"registry.example.com:5000\": {\"password\": \"" + PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }
}
