package dev.helmsdk.auth.testproviders;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.Optional;

/** Registered in src/test/resources/META-INF/services; has credentials for sl.example.test only. */
public final class ServiceLoadedTestProvider implements CredentialProvider {
    @Override
    public String name() {
        return "service-loaded-test";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        return "sl.example.test".equals(repository.getHost())
                ? Optional.of(RepositoryCredentials.of(repository, name(), new Credentials.BearerToken("sl-token")))
                : Optional.empty();
    }

    @Override
    public String explainMiss(URI repository) {
        return "only knows sl.example.test";
    }
}
