package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One wait for an {@code ExternalSecret} (external-secrets.io/v1) to be synced after the request,
 * then a read of its target Secret. "After the request" is told by {@code status.syncedResourceVersion},
 * which the operator sets on every successful sync to the object's generation and a hash of its
 * labels and annotations: the wait forces a sync the way {@code kubectl annotate es <name>
 * force-sync=$(date +%s) --overwrite} does (ESO's documented way), and a sync that saw that
 * annotation has a {@code syncedResourceVersion} other than the one before it. Comparing
 * {@code status.refreshTime} with this JVM's clock instead would trust two clocks, and would wait a
 * whole refresh interval. An ExternalSecret the operator never refreshes ({@code refreshPolicy:
 * CreatedOnce}, or a zero {@code refreshInterval}) is not annotated: its current sync is the newest
 * there will be.
 */
final class ExternalSecretSync {

    static final String FORCE_SYNC = "force-sync";
    private static final ResourceDefinitionContext EXTERNAL_SECRET = new ResourceDefinitionContext.Builder()
            .withGroup("external-secrets.io").withVersion("v1").withKind("ExternalSecret").withPlural("externalsecrets")
            .withNamespaced(true).build();
    private static final long POLL_MILLIS = 200;
    /** Ready=True reasons of a sync that ended without the target Secret (deletionPolicy Delete, creationPolicy Merge). */
    private static final Set<String> GONE = Set.of("SecretDeleted", "SecretMissing");

    private final KubeBackend kube;
    private final SecretReference reference;
    private final SecretContext context;

    ExternalSecretSync(KubeBackend kube, SecretReference reference, SecretContext context) {
        this.kube = kube;
        this.reference = reference;
        this.context = context;
    }

    Object resolve(String namespace, String name, String key) {
        String what = "ExternalSecret " + namespace + "/" + name;
        GenericKubernetesResource es = get(namespace, name).orElseThrow(() -> kube.fail(reference, context, Reason.NOT_FOUND,
                "no " + what + " (external-secrets.io/v1; is the External Secrets Operator's CRD installed?)"));
        boolean refreshes = refreshes(es);
        String before = text(es, "status", "syncedResourceVersion");
        if (refreshes) {
            es = forceSync(namespace, name);
        }
        while (true) {
            Map<?, ?> ready = readyCondition(es);
            String synced = text(es, "status", "syncedResourceVersion");
            boolean fresh = synced != null && !synced.isEmpty() && (!refreshes || !synced.equals(before));
            if (ready != null && "True".equals(ready.get("status")) && fresh) {
                Object reason = ready.get("reason");
                if ("SecretSynced".equals(reason)) {
                    String target = Optional.ofNullable(text(es, "spec", "target", "name")).filter(t -> !t.isEmpty()).orElse(name);
                    String secret = "Secret " + namespace + "/" + target;
                    Map<String, String> data = kube.data("Secret", namespace, target, reference, context)
                            .orElseThrow(() -> kube.fail(reference, context, Reason.NOT_FOUND,
                                    what + " is synced but its target " + secret + " does not exist"));
                    return kube.select(data, key, secret + " (target of " + what + ")", reference, context);
                }
                if (GONE.contains(reason)) {
                    throw kube.fail(reference, context, Reason.NOT_FOUND, what + " synced with reason " + reason + ": " + ready.get("message"));
                }
                if (String.valueOf(reason).startsWith("Resource")) {
                    throw kube.fail(reference, context, Reason.INVALID_REFERENCE, what + " targets a resource other than a Secret (reason "
                            + reason + "); refer to a Secret-targeting ExternalSecret");
                }
            }
            long left = context.timeLeft().toMillis();
            if (left <= 0) {
                throw kube.fail(reference, context, Reason.TIMEOUT, what + " reported no sync newer than this request within the"
                        + " operation's time; " + (ready == null ? "it has no Ready condition (is the External Secrets Operator running"
                        + " and watching namespace " + namespace + "?)" : "its Ready condition is " + ready.get("status") + ", reason "
                        + ready.get("reason") + ": " + ready.get("message")));
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw kube.fail(reference, context, Reason.TIMEOUT, "interrupted while waiting for " + what + " to sync");
            }
            es = get(namespace, name).orElseThrow(() -> kube.fail(reference, context, Reason.NOT_FOUND, what + " was deleted while waiting for its sync"));
        }
    }

    private Resource<GenericKubernetesResource> resource(String namespace, String name) {
        return kube.client(reference, context).genericKubernetesResources(EXTERNAL_SECRET).inNamespace(namespace).withName(name);
    }

    private Optional<GenericKubernetesResource> get(String namespace, String name) {
        try {
            return Optional.ofNullable(resource(namespace, name).get());
        } catch (KubernetesClientException e) {
            throw kube.failure(e, "get ExternalSecret " + namespace + "/" + name, reference, context);
        }
    }

    private GenericKubernetesResource forceSync(String namespace, String name) {
        // Unique per request: two resolutions in one second must each change the annotations' hash.
        String value = Instant.now() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        try {
            return resource(namespace, name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + FORCE_SYNC + "\":\"" + value + "\"}}}");
        } catch (KubernetesClientException e) {
            throw kube.failure(e, "patch ExternalSecret " + namespace + "/" + name + " (annotation " + FORCE_SYNC
                    + ", to force a sync)", reference, context);
        }
    }

    /** Whether the operator re-syncs when the annotations change (see its shouldRefresh). */
    private static boolean refreshes(GenericKubernetesResource es) {
        if ("CreatedOnce".equals(text(es, "spec", "refreshPolicy"))) {
            return false;
        }
        if ("OnChange".equals(text(es, "spec", "refreshPolicy"))) {
            return true;
        }
        String interval = text(es, "spec", "refreshInterval");
        // A Go duration ("1h0m0s", "0s", "0"): zero when it has no digit but 0.
        return interval == null || !interval.replaceAll("[^0-9]", "").matches("0*");
    }

    private static Map<?, ?> readyCondition(GenericKubernetesResource es) {
        if (at(es, "status", "conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    return m;
                }
            }
        }
        return null;
    }

    private static String text(GenericKubernetesResource es, String... path) {
        Object v = at(es, path);
        return v == null ? null : v.toString();
    }

    private static Object at(GenericKubernetesResource es, String... path) {
        Object at = es.getAdditionalProperties();
        for (String p : path) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(p);
        }
        return at;
    }
}
