package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.testkit.spi.FakeCredentialProvider;
import java.net.URI;
import java.util.Set;

/** {@link CredentialProviderContract} for the testkit's {@link FakeCredentialProvider}: a fake must keep the contract too. */
class FakeCredentialProviderContractTest extends CredentialProviderContract {

    static final String PASSWORD = "fake-canary-pw-5b1e7c";
    static final String TOKEN = "fake-canary-token-c09d4a";
    private final FakeCredentialProvider fake = FakeCredentialProvider.create()
            .withCredentials("oci://registry.example.com/charts", new Credentials.BasicAuth("robot", PASSWORD))
            .withCredentials("tokens.example.com", new Credentials.BearerToken(TOKEN));

    @Override
    protected CredentialProvider provider() {
        return fake;
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
