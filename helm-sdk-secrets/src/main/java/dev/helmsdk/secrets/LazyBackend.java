package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolver;

/**
 * A cluster resolver's {@link KubeBackend}, made on first use once fabric8 is known to be there,
 * so the resolver itself loads and instantiates without it.
 */
final class LazyBackend implements AutoCloseable {

    private final SecretResolver owner;
    private KubeBackend backend;
    private boolean closed;

    LazyBackend(SecretResolver owner) {
        this.owner = owner;
    }

    synchronized KubeBackend get(SecretReference reference, SecretContext context) {
        Fabric8Check.require(reference, context, owner);
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
        if (backend == null) {
            backend = new KubeBackend(owner);
        }
        return backend;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (backend != null) {
            backend.close();
        }
    }
}
