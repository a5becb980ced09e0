package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.function.Function;

/**
 * Creates an {@link AwsBackend} on the first resolve, once, after checking that the SDK's service
 * client is on the class path; without it every resolve fails naming the Maven artifact to add. No SDK
 * type is named here: the backend's class is loaded only through {@link AwsBackends}.
 */
final class LazyAwsBackend implements AutoCloseable {

    private final String probeClass;
    private final String artifact;
    private final Function<AwsSettings, AwsBackend> factory;
    private final AwsSettings settings;
    private volatile AwsBackend backend;

    /**
     * @param probeClass a class of the service's SDK artifact, e.g. its client interface
     * @param artifact   the artifact that holds it, {@code groupId:artifactId}
     * @param factory    builds the backend (a method of {@link AwsBackends})
     * @param settings   where the SDK's configuration comes from
     */
    LazyAwsBackend(String probeClass, String artifact, Function<AwsSettings, AwsBackend> factory, AwsSettings settings) {
        this.probeClass = probeClass;
        this.artifact = artifact;
        this.factory = factory;
        this.settings = settings;
    }

    Object resolve(SecretReference reference, SecretContext context, SecretResolver resolver) {
        return backend(reference, context, resolver).resolve(reference, context, resolver);
    }

    private AwsBackend backend(SecretReference reference, SecretContext context, SecretResolver resolver) {
        AwsBackend b = backend;
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (backend == null) {
                try {
                    Class.forName(probeClass, false, LazyAwsBackend.class.getClassLoader());
                    backend = factory.apply(settings);
                } catch (ClassNotFoundException | NoClassDefFoundError e) {
                    throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                            "the AWS SDK for Java v2 is not on the class path: add the Maven artifact " + artifact
                                    + " (version from software.amazon.awssdk:bom) to read ref+" + reference.scheme() + ":// references");
                } catch (LinkageError e) {
                    throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                            "the AWS SDK on the class path does not fit this artifact (" + e.getClass().getSimpleName()
                                    + "): take " + artifact + " and the rest of the SDK from one software.amazon.awssdk:bom");
                }
            }
            return backend;
        }
    }

    /** SDK clients held; 0 before the first resolve. */
    int clients() {
        AwsBackend b = backend;
        return b == null ? 0 : b.clients();
    }

    @Override
    public void close() {
        AwsBackend b = backend;
        if (b != null) {
            b.close();
        }
    }
}
