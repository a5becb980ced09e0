package dev.helmsdk.it.cache;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.core.ReleaseCache;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ReleaseCacheContract} against the embedded Kubernetes API (its watches replay a bounded history and answer
 * 410 Gone past it, as etcd does, so fabric8's informer lists and watches there as against a real server); and
 * what a test can do only to its own API server: stop it under a running cache.
 */
class EmbeddedReleaseCacheTest extends ReleaseCacheContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }

    @Test
    void aBrokenWatchSendsReadsToTheApiInsteadOfAnsweringFromTheCache() {
        EmbeddedKubernetes own = EmbeddedKubernetes.start();
        own.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gone").endMetadata().build()).create();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (HelmManager helm = dev.helmsdk.core.HelmSdk.builder().kubeConfig(own.kubeConfigPath()).meterRegistry(registry)
                .releaseCache(ReleaseCache.namespaces("gone")).build()) {
            helm.install("web").inNamespace("gone").chart(WEB).run();
            await(() -> {
                helm.status("web").inNamespace("gone").run();
                return count(registry, "status", "hit") > 0;
            }, "the cache answers");
            assertEquals(1, helm.status("web").inNamespace("gone").run().revision());
            own.close();
            // The watch is down: reads go to the API, and fail as they do without a cache, rather than answer stale data.
            await(() -> {
                try {
                    helm.status("web").inNamespace("gone").run();
                    return false;
                } catch (KubernetesApiException e) {
                    return true;
                }
            }, "a read with the watch down goes to the API");
            assertThrows(KubernetesApiException.class, () -> helm.history("web").inNamespace("gone").run());
        } finally {
            own.close();
        }
    }


}
