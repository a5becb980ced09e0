package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Set;

/**
 * External Secrets Operator, scheme {@code externalsecret} (vals has none):
 * {@code ref+externalsecret://<namespace>/<name>/<key>} is one key of the Secret that the
 * {@code ExternalSecret} (external-secrets.io/v1) {@code <namespace>/<name>} syncs
 * ({@code spec.target.name}, by default the ExternalSecret's own name), once the operator has
 * synced it for this request; without {@code /<key>} the Secret's whole data, for a {@code #/key}
 * fragment.
 *
 * <p>Forces a sync as ESO documents ({@code kubectl annotate es <name> force-sync=...}: the
 * annotation {@value ExternalSecretSync#FORCE_SYNC} set to a fresh value), then waits, within the
 * operation's time, for condition {@code Ready=True} with reason {@code SecretSynced} and a
 * {@code status.syncedResourceVersion} other than the one before: a sync that saw the annotation.
 * An ExternalSecret the operator never refreshes ({@code refreshPolicy: CreatedOnce}, a zero
 * {@code refreshInterval}) is read as last synced. Not synced in time is {@code TIMEOUT}, naming the
 * ExternalSecret and its Ready condition's reason and message. The identity needs {@code get} and
 * {@code patch} on {@code externalsecrets} and {@code get} on {@code secrets}. Connections as
 * {@link KubernetesResolver}'s ({@code ?kubeContext=}, {@code ?kubeConfigPath=}).
 */
public final class ExternalSecretResolver implements SecretResolver, AutoCloseable {

    private final LazyBackend backend = new LazyBackend(this);

    /** Reads through the manager's connection, or the kubeconfig context a reference names. */
    public ExternalSecretResolver() {
    }

    /** A fragment of an ExternalSecret named without a key selects from its target's data: one sync serves every key. */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return reference.path().split("/", -1).length == 2;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("externalsecret");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        String[] parts = reference.path().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts.length == 3 && parts[2].isEmpty()) {
            throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE,
                    "expected <namespace>/<externalsecret>[/<key>]");
        }
        String key = parts.length == 3 ? parts[2] : null;
        if (key != null && reference.fragment().isPresent()) {
            throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE,
                    "name the key either in the path or in the #/fragment, not both");
        }
        KubeBackend kube = backend.get(reference, context); // first: it checks fabric8 is there, before a class using it loads
        return new ExternalSecretSync(kube, reference, context).resolve(parts[0], parts[1], key);
    }

    /** Closes the clients built for kubeconfig contexts; the manager's connection is not this resolver's to close. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "ExternalSecretResolver";
    }
}
