package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.CredentialChain;
import dev.helmsdk.auth.DockerConfigCredentialProvider;
import dev.helmsdk.auth.StaticCredentialProvider;
import java.net.URI;

/**
 * The contract for {@link CredentialChain} used as a provider: the docker {@code config.json} of
 * {@link DockerConfigCredentialProviderContractTest} (which rotates and breaks) behind explicit
 * credentials for another host.
 */
class CredentialChainContractTest extends DockerConfigCredentialProviderContractTest {

    @Override
    protected CredentialProvider provider() {
        return CredentialChain.builder()
                // No discovery: the discovered providers read this machine's environment and home, a store the test does not control.
                .discover(false)
                .add(new DockerConfigCredentialProvider(file))
                .add(StaticCredentialProvider.of(URI.create("https://explicit.example.com"), new Credentials.BearerToken(TOKEN)))
                .build();
    }

    /** A chain passes on the name of the provider that answered, not its own ({@code chain}). */
    @Override
    protected String expectedSource(CredentialProvider provider) {
        return "docker-config";
    }

    @Override
    protected URI unknownRepository() {
        return URI.create("oci://other.example.com/charts");
    }

    /** The chain turns the docker provider's failure into its reason: resolve returns empty, explainMiss names the file. */
    @Override
    protected String breakSource() {
        return "docker-config: failed: " + super.breakSource() + " is not valid JSON";
    }
}
