package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.MountedFilesCredentialProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract for {@link MountedFilesCredentialProvider}, over a temporary base directory laid out
 * as for {@code $HELM_SDK_CREDENTIALS_DIR}: one subdirectory per host (and port).
 */
class MountedFilesCredentialProviderContractTest extends StoredCredentialProviderContract {

    static final String PASSWORD = "mounted-canary-pw-5e2c8a";
    static final String ROTATED = "mounted-rotated-pw-1b7d4e";
    static final String TOKEN = "mounted-canary-token-9f6a3c";

    @TempDir
    Path base;
    Path login;

    @BeforeEach
    void writeFiles() throws IOException {
        login = Files.createDirectories(base.resolve("registry.example.com_5000"));
        Files.writeString(login.resolve("username"), "robot\n"); // as `kubectl create secret --from-file` of an echo'd file
        Files.writeString(login.resolve("password"), PASSWORD + "\n");
        Path tokens = Files.createDirectories(base.resolve("tokens.example.com"));
        Files.writeString(tokens.resolve("token"), TOKEN);
    }

    @Override
    protected CredentialProvider provider() {
        return MountedFilesCredentialProvider.fromBaseDirectory(base);
    }

    @Override
    protected URI knownRepository() {
        return URI.create("oci://registry.example.com:5000/charts/shop");
    }

    @Override
    protected URI unknownRepository() {
        return URI.create("oci://other.example.com:5000/charts");
    }

    @Override
    protected Set<String> secretValues() {
        return Set.of(PASSWORD, ROTATED, TOKEN);
    }

    /** The kubelet updates a mounted Secret in place. */
    @Override
    protected void rotate() {
        try {
            Files.writeString(login.resolve("password"), ROTATED + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Half a login: the password file stays, so a leak through the error would show. */
    @Override
    protected String breakSource() {
        try {
            Files.delete(login.resolve("username"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return login + " has password but no username";
    }
}
