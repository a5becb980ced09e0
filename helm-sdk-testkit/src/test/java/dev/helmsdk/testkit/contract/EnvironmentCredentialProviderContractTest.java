package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.EnvironmentCredentialProvider;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The contract for {@link EnvironmentCredentialProvider}, over a map standing in for the process environment. */
class EnvironmentCredentialProviderContractTest extends StoredCredentialProviderContract {

    static final String PASSWORD = "env-canary-pw-2b8d4f";
    static final String ROTATED = "env-rotated-pw-9e1a7c";
    static final String TOKEN = "env-canary-token-6c3f0a";
    static final String USERNAME_VAR = "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_USERNAME";
    static final String PASSWORD_VAR = "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_PASSWORD";

    // The provider keeps a reference to the map and reads it on every call, so changing it is rotation.
    final Map<String, String> env = new ConcurrentHashMap<>(Map.of(
            USERNAME_VAR, "robot",
            PASSWORD_VAR, PASSWORD,
            "HELM_SDK_REPO_TOKENS_EXAMPLE_COM_TOKEN", TOKEN));

    @Override
    protected CredentialProvider provider() {
        return new EnvironmentCredentialProvider(env);
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

    @Override
    protected void rotate() {
        env.put(PASSWORD_VAR, ROTATED);
    }

    /** Half a login: the password variable stays, so a leak through the error would show. */
    @Override
    protected String breakSource() {
        env.remove(USERNAME_VAR);
        return "no USERNAME";
    }
}
