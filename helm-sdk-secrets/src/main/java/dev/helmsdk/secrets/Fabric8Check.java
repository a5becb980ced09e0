package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

/**
 * Whether fabric8 is on the class path, asked before any class that uses it is touched: the
 * resolvers ServiceLoader finds hold no fabric8 type, so they load without it, and only a
 * reference of theirs fails, naming what to add.
 */
final class Fabric8Check {

    static final String ARTIFACT = "io.fabric8:kubernetes-client";

    private Fabric8Check() {
    }

    static void require(SecretReference reference, SecretContext context, SecretResolver resolver) {
        try {
            Class.forName("io.fabric8.kubernetes.client.KubernetesClient", false, resolver.getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "the " + reference.scheme() + " resolver reads through fabric8, which is not on the class path: add the Maven artifact "
                            + ARTIFACT + " (helm-sdk-core brings it)");
        }
    }
}
