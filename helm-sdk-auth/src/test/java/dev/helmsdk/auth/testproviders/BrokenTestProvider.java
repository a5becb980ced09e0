package dev.helmsdk.auth.testproviders;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.Optional;

/** Registered in src/test/resources/META-INF/services; its constructor always throws. */
public final class BrokenTestProvider implements CredentialProvider {
    public BrokenTestProvider() {
        throw new IllegalStateException("BrokenTestProvider refuses to start");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        return Optional.empty();
    }
}
