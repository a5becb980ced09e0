package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SecretResolverContract} for the testkit's own {@link FakeSecretResolver}, with a latency
 * (so that the zero-time-left check meets a resolver that has something to wait for) and selecting
 * fragments from the whole, as the remote resolvers do.
 */
class FakeSecretResolverContractTest extends SecretResolverContract {

    private final FakeSecretResolver fake = FakeSecretResolver.of("fake", "other")
            .withSecret("db", Map.of("user", "app", "password", "fake-canary-pw-6d2f0b", "port", 5432))
            .withLatency(Duration.ofMillis(5))
            .selectingFragmentsFromWhole(true);

    @Override
    protected SecretResolver resolver() {
        return fake;
    }

    @Override
    protected String existingReference() {
        return "ref+fake://db#/password";
    }

    @Override
    protected Object expectedValue() {
        return "fake-canary-pw-6d2f0b";
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+fake://nothing#/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+fake://db#/token");
    }
}
