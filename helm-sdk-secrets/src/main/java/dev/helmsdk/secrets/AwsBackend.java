package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolver;

/**
 * The AWS SDK side of an AWS resolver, behind a type whose signatures hold no SDK class, so that the
 * public resolvers load and instantiate without the SDK on the class path.
 */
interface AwsBackend extends AutoCloseable {

    /** Resolves {@code reference} for {@code resolver}, failing with its {@code SecretResolutionException}. */
    Object resolve(SecretReference reference, SecretContext context, SecretResolver resolver);

    /** How many SDK clients it holds (one per region and profile asked for). */
    int clients();

    /** Closes its SDK clients; later calls build new ones. */
    @Override
    void close();
}
