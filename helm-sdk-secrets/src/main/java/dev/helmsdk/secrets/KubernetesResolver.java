package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Set;

/**
 * vals' {@code k8s} scheme: {@code ref+k8s://v1/Secret/<namespace>/<name>/<key>} is one key of a
 * Secret (its data decoded to UTF-8 text), {@code ref+k8s://v1/ConfigMap/<namespace>/<name>/<key>}
 * one key of a ConfigMap; without {@code /<key>} the object's whole data, a map a {@code #/key}
 * fragment can select from.
 *
 * <p>Reads through the manager's own cluster connection (its credentials, each request bounded by
 * the operation's time). {@code ?kubeContext=<context>} reads through that context of the
 * kubeconfig instead ({@code KUBECONFIG} or {@code ~/.kube/config}, as fabric8 finds it;
 * {@code ?kubeConfigPath=<file>} names the file), with one client per context, kept until
 * {@link #close()}. A missing object is {@code NOT_FOUND}, a missing key {@code MISSING_KEY}, an
 * RBAC refusal {@code DENIED}.
 *
 * <p>Needs fabric8 ({@code io.fabric8:kubernetes-client}, which helm-sdk-core brings) on the class
 * path only when a reference is resolved.
 */
public final class KubernetesResolver implements SecretResolver, AutoCloseable {

    private final LazyBackend backend = new LazyBackend(this);

    /** Reads through the manager's connection, or the kubeconfig context a reference names. */
    public KubernetesResolver() {
    }

    /** A fragment of an object named without a key selects from its data: one read serves every key of it. */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return reference.path().split("/", -1).length == 4;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("k8s");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        String[] parts = reference.path().split("/", -1);
        if (parts.length < 4 || parts.length > 5 || !parts[0].equals("v1") || !Set.of("Secret", "ConfigMap").contains(parts[1])
                || parts[2].isEmpty() || parts[3].isEmpty() || parts.length == 5 && parts[4].isEmpty()) {
            throw invalid(reference, context, "expected v1/Secret/<namespace>/<name>[/<key>] or v1/ConfigMap/<namespace>/<name>[/<key>]");
        }
        String key = parts.length == 5 ? parts[4] : null;
        if (key != null && reference.fragment().isPresent()) {
            throw invalid(reference, context, "name the key either in the path or in the #/fragment, not both");
        }
        KubeBackend kube = backend.get(reference, context);
        String what = parts[1] + " " + parts[2] + "/" + parts[3];
        var data = kube.data(parts[1], parts[2], parts[3], reference, context)
                .orElseThrow(() -> kube.fail(reference, context, Reason.NOT_FOUND, "no " + what));
        return kube.select(data, key, what, reference, context);
    }

    private SecretResolutionException invalid(SecretReference reference, SecretContext context, String detail) {
        return SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE, detail);
    }

    /** Closes the clients built for kubeconfig contexts; the manager's connection is not this resolver's to close. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "KubernetesResolver";
    }
}
