package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import java.net.URI;
import java.util.Set;

/**
 * The contract for {@link StaticCredentialProvider}. Its values are given in code and immutable, so
 * rotation and broken-store checks do not apply (they are reported as skipped).
 */
class StaticCredentialProviderContractTest extends CredentialProviderContract {

    static final String PASSWORD = "static-canary-pw-7f3a9c";
    static final String TOKEN = "static-canary-token-51c2e8";

    @Override
    protected CredentialProvider provider() {
        return StaticCredentialProvider.builder()
                .add(URI.create("oci://registry.example.com/charts"), new Credentials.BasicAuth("robot", PASSWORD))
                .add(URI.create("https://tokens.example.com"), new Credentials.BearerToken(TOKEN))
                .build();
    }

    @Override
    protected URI knownRepository() {
        return URI.create("oci://registry.example.com/charts/shop");
    }

    @Override
    protected URI unknownRepository() {
        return URI.create("oci://registry.example.com/other");
    }

    @Override
    protected Set<String> secretValues() {
        return Set.of(PASSWORD, TOKEN);
    }
}
