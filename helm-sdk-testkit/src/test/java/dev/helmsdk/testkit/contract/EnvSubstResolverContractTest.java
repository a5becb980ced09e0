package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.secrets.EnvSubstResolver;
import java.util.Map;
import java.util.Optional;

/** {@link SecretResolverContract} for {@link EnvSubstResolver} over a map standing in for the environment. */
class EnvSubstResolverContractTest extends SecretResolverContract {

    private final Map<String, String> env = Map.of("DB_PASSWORD", "envsubst-canary-pw-3b8e1d");

    @Override
    protected SecretResolver resolver() {
        return new EnvSubstResolver(env::get);
    }

    @Override
    protected String existingReference() {
        return "ref+envsubst://$DB_PASSWORD";
    }

    @Override
    protected Object expectedValue() {
        return "envsubst-canary-pw-3b8e1d";
    }

    /** A variable is a key of the environment: envsubst has no secret that can be missing, only variables. */
    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.empty();
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+envsubst://$NOT_SET_ANYWHERE");
    }
}
