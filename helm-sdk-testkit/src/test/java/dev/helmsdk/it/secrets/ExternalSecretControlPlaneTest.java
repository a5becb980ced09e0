package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.ExternalSecretResolver;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ref+externalsecret://} against ESO's own {@code ExternalSecret} CRD (external-secrets.io/v1,
 * from its published CRD) on the real control plane, the test playing the operator: it syncs when
 * it sees the resolver's {@code force-sync} annotation, late (the resolution waits, then reads the
 * new value), over a stale sync (never taken for this request's), or never ({@code TIMEOUT} within
 * the operation's time, naming the ExternalSecret and its condition). Skips with an install hint
 * where the binaries cannot be had; fails instead when {@code CI=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@KubernetesControlPlaneTest
class ExternalSecretControlPlaneTest {

    private static final String NS = "eso";
    private static final String SECRET = "CANARY-eso-value-77b2";
    private static final ResourceDefinitionContext ES = new ResourceDefinitionContext.Builder().withGroup("external-secrets.io")
            .withVersion("v1").withKind("ExternalSecret").withPlural("externalsecrets").withNamespaced(true).build();

    private KubernetesControlPlane cp;
    private KubernetesClient kube;
    private final ExternalSecretResolver resolver = new ExternalSecretResolver();

    @BeforeAll
    void start(KubernetesControlPlane controlPlane) throws Exception {
        cp = controlPlane;
        kube = cp.client();
        try (InputStream crd = getClass().getResourceAsStream("/crds/external-secrets.io_externalsecrets.yaml")) {
            kube.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        kube.apiextensions().v1().customResourceDefinitions().withName("externalsecrets.external-secrets.io").waitUntilCondition(
                ExternalSecretControlPlaneTest::established, 30, TimeUnit.SECONDS);
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    private static boolean established(CustomResourceDefinition crd) {
        // The API server creates the CRD with a status but no conditions yet; they come a moment later.
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @AfterAll
    void stop() {
        resolver.close();
    }

    private Resource<GenericKubernetesResource> es(String name) {
        return kube.genericKubernetesResources(ES).inNamespace(NS).withName(name);
    }

    /** An ExternalSecret as a user writes one; {@code spec} entries added or replaced. */
    private void createExternalSecret(String name, Map<String, Object> spec) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("secretStoreRef", Map.of("name", "vault", "kind", "SecretStore"));
        s.put("refreshInterval", "1h");
        s.put("data", List.of(Map.of("secretKey", "password", "remoteRef", Map.of("key", "app/db"))));
        s.putAll(spec);
        kube.genericKubernetesResources(ES).inNamespace(NS).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("external-secrets.io/v1").withKind("ExternalSecret").withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", s).build()).create();
    }

    /** What the operator does on a sync: writes the target Secret, then the status. */
    private void operatorSyncs(String name, String target, String value, String syncedResourceVersion, String status, String reason, String message) {
        if (value != null) {
            kube.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(target).endMetadata()
                    .addToStringData("password", value).build()).createOr(r -> r.update());
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> st = new LinkedHashMap<>();
        if (syncedResourceVersion != null) {
            st.put("refreshTime", now);
            st.put("syncedResourceVersion", syncedResourceVersion);
        }
        st.put("conditions", List.of(Map.of("type", "Ready", "status", status, "reason", reason, "message", message, "lastTransitionTime", now)));
        es(name).editStatus(e -> {
            Map<String, Object> old = e.get("status");
            if (old != null && syncedResourceVersion == null) {
                st.putAll(Map.of("refreshTime", old.get("refreshTime"), "syncedResourceVersion", old.get("syncedResourceVersion")));
            }
            e.setAdditionalProperty("status", st);
            return e;
        });
    }

    private void synced(String name, String target, String value, String version) {
        operatorSyncs(name, target, value, version, "True", "SecretSynced", "secret synced");
    }

    private CompletableFuture<String> operatorLate(String name, String target, String value, Duration delay) {
        return operatorLate(name, target, value, delay, null);
    }

    /** The operator, late: once a resolver's force-sync annotation (other than {@code seen}) is there, after {@code delay}, a sync. */
    private CompletableFuture<String> operatorLate(String name, String target, String value, Duration delay, String seen) {
        return CompletableFuture.supplyAsync(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                Map<String, String> annotations = es(name).get().getMetadata().getAnnotations();
                if (annotations != null && annotations.containsKey("force-sync") && !annotations.get("force-sync").equals(seen)) {
                    sleep(delay.toMillis());
                    synced(name, target, value, "2-" + Integer.toHexString(annotations.hashCode()));
                    return annotations.get("force-sync");
                }
                sleep(50);
            }
            throw new AssertionError("the resolver never asked for a sync of " + name);
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private SecretContext within(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        return new SecretContext(Operation.INSTALL, "web", NS, () -> Duration.ofNanos(end - System.nanoTime()), List.of(kube));
    }

    private Object resolve(String ref, SecretContext context) {
        return resolver.resolve(SecretReference.parse(ref), context);
    }

    private SecretResolutionException fails(String ref, SecretContext context) {
        return assertThrows(SecretResolutionException.class, () -> resolve(ref, context));
    }

    @Test
    void aLateSyncIsWaitedForThenItsTargetSecretRead() throws Exception {
        createExternalSecret("late", Map.of("target", Map.of("name", "late-target")));
        CompletableFuture<String> operator = operatorLate("late", "late-target", SECRET, Duration.ofMillis(1000));
        long start = System.nanoTime();
        assertEquals(SECRET, resolve("ref+externalsecret://" + NS + "/late/password", within(Duration.ofSeconds(20))));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1000, "it waited for the sync");
        String first = operator.get(5, TimeUnit.SECONDS);
        assertNotNull(first, "it forced a sync with the force-sync annotation");
        CompletableFuture<String> again = operatorLate("late", "late-target", SECRET + "-rotated", Duration.ofMillis(300), first);
        assertEquals(Map.of("password", SECRET + "-rotated"), resolve("ref+externalsecret://" + NS + "/late", within(Duration.ofSeconds(20))),
                "the whole Secret; a second request forces (and waits for) a sync of its own");
        assertFalse(again.get(5, TimeUnit.SECONDS).equals(first), "with an annotation value of its own");
    }

    @Test
    void aStaleSyncIsNotThisRequestsAndNeverEndsTheWait() throws Exception {
        createExternalSecret("stale", Map.of());
        synced("stale", "stale", "OLD-value", "1-before");   // synced before the request: target name defaults to the ExternalSecret's
        CompletableFuture<String> operator = operatorLate("stale", "stale", SECRET, Duration.ofMillis(800));
        assertEquals(SECRET, resolve("ref+externalsecret://" + NS + "/stale/password", within(Duration.ofSeconds(20))),
                "the value of the sync after the request, not the one readable at its start");
        operator.get(5, TimeUnit.SECONDS);

        createExternalSecret("stale-only", Map.of());
        synced("stale-only", "stale-only", "OLD-value", "1-before");
        SecretResolutionException e = fails("ref+externalsecret://" + NS + "/stale-only/password", within(Duration.ofMillis(1500)));
        assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("ExternalSecret " + NS + "/stale-only") && e.getMessage().contains("reason SecretSynced"), e.getMessage());
        assertFalse(e.getMessage().contains("OLD-value"), e.getMessage());
    }

    @Test
    void neverSyncedTimesOutWithinTheOperationsTimeNamingTheCondition() {
        createExternalSecret("never", Map.of());
        long start = System.nanoTime();
        SecretResolutionException never = fails("ref+externalsecret://" + NS + "/never/password", within(Duration.ofMillis(1500)));
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(Reason.TIMEOUT, never.reason(), never.getMessage());
        assertTrue(took >= 1400 && took < 5000, "ended at the operation's time: " + took + " ms");
        assertTrue(never.getMessage().contains("ExternalSecret " + NS + "/never") && never.getMessage().contains("no Ready condition"),
                never.getMessage());

        createExternalSecret("failing", Map.of());
        operatorSyncs("failing", "failing", null, null, "False", "SecretSyncedError", "could not get secret data from provider");
        SecretResolutionException failing = fails("ref+externalsecret://" + NS + "/failing/password", within(Duration.ofMillis(1500)));
        assertEquals(Reason.TIMEOUT, failing.reason());
        assertTrue(failing.getMessage().contains("reason SecretSyncedError: could not get secret data from provider"), failing.getMessage());
    }

    @Test
    void whatIsNotThereIsNotFoundOrAMissingKey() {
        assertEquals(Reason.NOT_FOUND, fails("ref+externalsecret://" + NS + "/nothing/password", within(Duration.ofSeconds(10))).reason());
        // CreatedOnce: ESO never syncs it again, so its one sync is read as it is, without forcing.
        createExternalSecret("once", Map.of("refreshPolicy", "CreatedOnce"));
        synced("once", "once", SECRET, "1-first");
        assertEquals(SECRET, resolve("ref+externalsecret://" + NS + "/once/password", within(Duration.ofSeconds(10))));
        Map<String, String> annotations = es("once").get().getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey("force-sync"), "not annotated: " + annotations);
        SecretResolutionException key = fails("ref+externalsecret://" + NS + "/once/token", within(Duration.ofSeconds(10)));
        assertEquals(Reason.MISSING_KEY, key.reason());
        assertTrue(key.getMessage().contains("Secret " + NS + "/once") && !key.getMessage().contains("password"), key.getMessage());

        createExternalSecret("no-target", Map.of("refreshPolicy", "CreatedOnce", "target", Map.of("name", "absent")));
        synced("no-target", "absent", null, "1-first");
        assertEquals(Reason.NOT_FOUND, fails("ref+externalsecret://" + NS + "/no-target/password", within(Duration.ofSeconds(10))).reason());
    }

    @Test
    void podinfoGetsTheSyncedValueThroughAManagerAndANeverSyncedOneFailsTheInstall() throws Exception {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        createExternalSecret("web-db", Map.of());
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cp.kubeConfigPath()).build()) {
            CompletableFuture<String> operator = operatorLate("web-db", "web-db", SECRET, Duration.ofMillis(500));
            helm.install("web").inNamespace(NS).chart(podinfo).set("ui.message", "ref+externalsecret://" + NS + "/web-db/password").run();
            operator.get(5, TimeUnit.SECONDS);
            assertEquals(SECRET, PodinfoEnv.of(kube.apps().deployments().inNamespace(NS).withName("web-podinfo").get())
                    .get("PODINFO_UI_MESSAGE"));

            createExternalSecret("unsynced", Map.of());
            long start = System.nanoTime();
            SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> helm.install("late").inNamespace(NS).chart(podinfo)
                    .set("ui.message", "ref+externalsecret://" + NS + "/unsynced/password")
                    .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(2))).run());
            assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 10_000, "within the start timeout");
            assertTrue(helm.exists("late").inNamespace(NS).run().isEmpty(), "nothing installed");
        }
    }
}
