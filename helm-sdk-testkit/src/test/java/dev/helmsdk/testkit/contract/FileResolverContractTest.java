package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.secrets.FileResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** {@link SecretResolverContract} for {@link FileResolver} over a YAML file in a temporary directory. */
class FileResolverContractTest extends SecretResolverContract {

    @TempDir
    Path dir;

    @BeforeEach
    void writeSecrets() throws IOException {
        Files.writeString(dir.resolve("db.yaml"), "user: app\npassword: file-canary-pw-91c0aa\nport: 5432\n");
    }

    @Override
    protected SecretResolver resolver() {
        return new FileResolver(dir);
    }

    @Override
    protected String existingReference() {
        return "ref+file://db.yaml#/password";
    }

    @Override
    protected Object expectedValue() {
        return "file-canary-pw-91c0aa";
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+file://nothing-here.yaml#/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+file://db.yaml#/token");
    }
}
