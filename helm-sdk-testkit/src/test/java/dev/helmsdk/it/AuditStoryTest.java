package dev.helmsdk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditPolicy;
import dev.helmsdk.api.audit.AuditUnavailableException;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.audit.JsonLinesAuditSink;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import dev.helmsdk.testkit.spi.InMemoryAuditSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit trail of a release's life with the manager's defaults (cluster locks on, fail closed): install,
 * upgrade, a failed upgrade rolled back automatically, a secret that cannot be resolved, a timeout, uninstall;
 * asserted event by event from the in-memory sink, the JSON-lines file holding the same events, every line of it
 * valid against the published schema, and neither the secret value nor the release values in it. Then what a
 * failing sink does under each policy.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class AuditStoryTest {

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");
    private static final String SECRET_VALUE = "canary-secret-7f3a9c";
    private static final String RELEASE_VALUE = "canary-message-b52e01";
    private static final String REFERENCE = "ref+fake://db#/password";
    private static final String ACTOR = "ci:deploy-shop#412";
    private static final String NS = "audit";

    @TempDir
    Path tmp;

    @Test
    void aReleasesLifeLeavesOneEventForEachChangeDecisionAndSecretAccess(EmbeddedKubernetes cluster) throws IOException {
        Path file = tmp.resolve("trail/audit.jsonl");
        InMemoryAuditSink memory = InMemoryAuditSink.create();
        FakeSecretResolver store = FakeSecretResolver.of("fake").withSecret("db", Map.of("password", SECRET_VALUE));
        try (JsonLinesAuditSink jsonl = new JsonLinesAuditSink(file);
             HelmManager manager = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).secretResolver(store)
                     .auditSink(jsonl).auditSink(memory).build()) {
            HelmManager helm = manager.withActor(ACTOR);
            helm.install("shop").inNamespace(NS).createNamespace().chart(TESTED).set("message", RELEASE_VALUE)
                    .set("extra.password", REFERENCE).waitReady(Duration.ofMinutes(1)).run();
            helm.upgrade("shop").inNamespace(NS).chart(TESTED).set("message", RELEASE_VALUE)
                    .set("extra.password", REFERENCE).waitReady(Duration.ofMinutes(1)).run();
            assertThrows(AutoRollbackException.class, () -> helm.upgrade("shop").inNamespace(NS).chart(TESTED)
                    .set("message", RELEASE_VALUE).set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue())
                    .waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
            store.failing(REFERENCE, SecretResolutionException.Reason.DENIED);
            assertThrows(SecretResolutionException.class, () -> helm.upgrade("shop").inNamespace(NS).chart(TESTED)
                    .set("extra.password", REFERENCE).run());
            store.healed(REFERENCE);
            assertThrows(OperationTimeoutException.class, () -> helm.upgrade("shop").inNamespace(NS).chart(TESTED)
                    .set("message", RELEASE_VALUE).set(CRASH, WorkloadFailure.NEVER_READY.markerValue())
                    .waitReady(Duration.ofSeconds(2)).run());
            helm.uninstall("shop").inNamespace(NS).run();
        }

        assertEquals(List.of(
                "intent change install shop", "outcome secret_access install shop", "outcome change install shop success",
                "intent change upgrade shop", "outcome secret_access upgrade shop", "outcome change upgrade shop success",
                "intent change upgrade shop",
                "intent remediation_decision rollback shop", "outcome secret_access rollback shop",   // back to revision 2, its secret read again
                "outcome remediation_decision rollback shop success", "outcome change upgrade shop auto_rollback",
                "intent change upgrade shop", "outcome secret_access upgrade shop", "outcome change upgrade shop secret_resolution",
                "intent change upgrade shop", "outcome change upgrade shop operation_timeout",
                "intent change uninstall shop", "outcome change uninstall shop success"), memory.trail());
        List<AuditEvent> events = memory.events();
        assertEquals(events.stream().map(AuditEvent::eventId).toList(),
                JsonLinesAuditSink.read(file).stream().map(AuditEvent::eventId).toList(), "the file holds the same events, in order");
        assertEquals(events, JsonLinesAuditSink.read(file), "and reads back as written");
        memory.assertEveryChangeEnded();
        assertEquals(List.of(), JsonLinesAuditSink.interruptedChanges(file), "nothing was interrupted");
        for (AuditEvent e : events) {
            assertEquals(ACTOR, e.actor(), "who asked, on every event (the rollback's too): " + e);
            assertEquals("shop", e.release());
            assertEquals(NS, e.namespace());
            assertEquals(AuditEvent.SCHEMA_VERSION, e.schemaVersion());
        }

        List<AuditEvent> changes = memory.events(AuditEvent.Type.CHANGE);
        List<String> outcomes = changes.stream().filter(e -> e.phase() == AuditEvent.Phase.OUTCOME)
                .map(e -> e.operation().tag() + " " + e.outcome().orElseThrow()).toList();
        assertEquals(List.of("install success", "upgrade success", "upgrade auto_rollback", "upgrade secret_resolution",
                "upgrade operation_timeout", "uninstall success"), outcomes);
        for (int i = 0; i < changes.size(); i += 2) {
            AuditEvent intent = changes.get(i);
            AuditEvent outcome = changes.get(i + 1);
            assertEquals(AuditEvent.Phase.INTENT, intent.phase(), "an intent before each outcome: " + intent);
            assertEquals(intent.operationId(), outcome.operationId());
            assertTrue(intent.outcome().isEmpty() && intent.revisions().isEmpty(), "an intent knows no outcome: " + intent);
            assertTrue(outcome.duration().isPresent());
            assertTrue(intent.time().compareTo(outcome.time()) <= 0);
        }
        AuditEvent installed = outcome(changes, 0);
        AuditEvent upgraded = outcome(changes, 1);
        AuditEvent failed = outcome(changes, 2);
        AuditEvent unresolved = outcome(changes, 3);
        AuditEvent timedOut = outcome(changes, 4);
        AuditEvent uninstalled = outcome(changes, 5);
        assertEquals(new AuditEvent.Revisions(0, 1), installed.revisions().orElseThrow());
        assertEquals("sdk-tested", installed.chart().orElseThrow().name());
        assertTrue(installed.chart().orElseThrow().source().endsWith("sdk-tested"));
        assertEquals(new AuditEvent.Revisions(1, 2), upgraded.revisions().orElseThrow());
        assertEquals(installed.valuesDigest().orElseThrow(), upgraded.valuesDigest().orElseThrow(), "equal values, equal digests");
        assertTrue(installed.valuesDigest().orElseThrow().matches("sha256:[0-9a-f]{64}"));
        assertNotEquals(installed.valuesDigest(), failed.valuesDigest(), "other values, another digest");
        assertEquals(new AuditEvent.Revisions(2, 0), failed.revisions().orElseThrow(), "the failed upgrade returned no revision");
        assertEquals("readiness_failed", failed.errorKind().orElseThrow(), "what started the rollback");
        assertTrue(unresolved.revisions().isEmpty() && unresolved.chart().isEmpty(), "refused before the release was read");
        assertEquals("secret_resolution", unresolved.errorKind().orElseThrow());
        assertEquals("operation_timeout", timedOut.errorKind().orElseThrow());
        assertTrue(uninstalled.chart().isEmpty() && uninstalled.valuesDigest().isEmpty());
        assertEquals(0, uninstalled.revisions().orElseThrow().after());
        assertTrue(uninstalled.revisions().orElseThrow().before() >= 4, uninstalled.toString());

        List<AuditEvent> remediation = memory.events(AuditEvent.Type.REMEDIATION_DECISION);
        assertEquals(2, remediation.size(), "the rollback's intent and outcome: " + remediation);
        for (AuditEvent r : remediation) {
            assertEquals(failed.operationId(), r.parentId().orElseThrow(), "names the change it undoes");
            assertEquals(new AuditEvent.Remediation("rollback", 2), r.remediation().orElseThrow());
        }
        assertEquals(List.of(AuditEvent.Phase.INTENT, AuditEvent.Phase.OUTCOME), remediation.stream().map(AuditEvent::phase).toList());
        AuditEvent rolledBack = remediation.get(1);
        assertEquals("success", rolledBack.outcome().orElseThrow());
        assertEquals(new AuditEvent.Revisions(3, 4), rolledBack.revisions().orElseThrow());
        assertEquals("revision 2", rolledBack.chart().orElseThrow().source());
        assertTrue(events.indexOf(rolledBack) < events.indexOf(failed), "the decision's outcome comes before the change's");

        List<AuditEvent> secrets = memory.events(AuditEvent.Type.SECRET_ACCESS);
        assertEquals(4, secrets.size(), "install, upgrade, the rollback and the failed resolution read the secret");
        for (AuditEvent s : secrets) {
            AuditEvent.SecretRead read = s.secret().orElseThrow();
            assertEquals("fake", read.scheme());
            assertEquals(FakeSecretResolver.class.getName(), read.resolver());
            assertEquals(secrets.get(0).secret().orElseThrow().referenceDigest(), read.referenceDigest(), "one reference, one digest");
        }
        AuditEvent denied = secrets.stream().filter(s -> s.secret().orElseThrow().outcome().equals("failed")).findFirst().orElseThrow();
        assertEquals("denied", denied.secret().orElseThrow().failure().orElseThrow());
        assertEquals(unresolved.operationId(), denied.operationId());

        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String canary : List.of(SECRET_VALUE, RELEASE_VALUE, REFERENCE, "s3cret")) {
            assertFalse(text.contains(canary), "the audit file holds '" + canary + "'");
        }
        memory.assertNoneMention(SECRET_VALUE, RELEASE_VALUE, REFERENCE);

        Schema schema = schema();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(events.size(), lines.size());
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            assertEquals(List.of(), schema.validate(node), "line against the schema: " + line);
        }
        JsonNode forged = json.readTree(lines.get(0).replace("\"phase\":\"intent\"", "\"phase\":\"maybe\""));
        assertFalse(schema.validate(forged).isEmpty(), "the schema does check: a phase it does not know is refused");
    }

    @Test
    void failClosedRefusesAChangeBeforeAnythingReachesTheCluster(EmbeddedKubernetes cluster) {
        InMemoryAuditSink down = InMemoryAuditSink.create().failing(true);
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).auditSink(down).build()) {
            AuditUnavailableException e = assertThrows(AuditUnavailableException.class, () -> helm.install("closed")
                    .inNamespace("audit-closed").createNamespace().chart(TESTED).run());
            assertTrue(e.retryable(), "once the sink is back the same call goes through");
            assertEquals(InMemoryAuditSink.class.getName(), e.sink());
            assertTrue(e.getMessage().contains("FAIL_CLOSED"), e.getMessage());
            assertTrue(helm.list().allNamespaces().run().stream().map(Release::name).noneMatch("closed"::equals),
                    "no release record was created");
            assertTrue(cluster.client().namespaces().withName("audit-closed").get() == null, "not even the namespace");
            assertEquals(1, down.failedWrites(), "the intent, and nothing after it");

            down.failing(false);
            helm.install("closed").inNamespace("audit-closed").createNamespace().chart(TESTED).run();
            assertEquals(List.of("intent change install closed", "outcome change install closed success"), down.trail());
        }
    }

    @Test
    void failOpenGoesOnAndCountsEveryEventItCouldNotWrite(EmbeddedKubernetes cluster) {
        InMemoryAuditSink down = InMemoryAuditSink.create().failing(true);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).auditSink(down)
                .auditPolicy(AuditPolicy.FAIL_OPEN).meterRegistry(meters).build()) {
            Release r = helm.install("open").inNamespace("audit-open").createNamespace().chart(TESTED).run();
            assertEquals(1, r.revision());
            assertEquals(2.0, meters.get("helm.sdk.audit.failures").tag("sink", "InMemoryAuditSink").counter().count(),
                    "the intent and the outcome");
            assertEquals(List.of(), down.events());
        }
    }

    /** Found by ServiceLoader in {@link #aSinkOnTheClassPathIsFoundUnlessDiscoveryIsOff}: records where that test can see. */
    public static final class DiscoveredSink implements dev.helmsdk.api.audit.AuditSink {
        static final List<AuditEvent> EVENTS = new java.util.concurrent.CopyOnWriteArrayList<>();
        static final java.util.concurrent.atomic.AtomicInteger CLOSED = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void write(AuditEvent event) {
            EVENTS.add(event);
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    @Test
    void aSinkOnTheClassPathIsFoundUnlessDiscoveryIsOff(EmbeddedKubernetes cluster) throws IOException {
        Path services = tmp.resolve("cp/META-INF/services/" + dev.helmsdk.api.audit.AuditSink.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, DiscoveredSink.class.getName() + "\n");
        ClassLoader outer = Thread.currentThread().getContextClassLoader();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {tmp.resolve("cp").toUri().toURL()},
                AuditStoryTest.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            DiscoveredSink.EVENTS.clear();
            DiscoveredSink.CLOSED.set(0);
            try (HelmManager off = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).discoverAuditSinks(false).build()) {
                off.install("quiet").inNamespace("audit-found").createNamespace().chart(TESTED).run();
            }
            assertEquals(List.of(), DiscoveredSink.EVENTS, "discovery off: the sink on the class path is not used");
            try (HelmManager on = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
                on.uninstall("quiet").inNamespace("audit-found").run();
            }
            assertEquals(List.of(AuditEvent.Phase.INTENT, AuditEvent.Phase.OUTCOME),
                    DiscoveredSink.EVENTS.stream().map(AuditEvent::phase).toList(), "by default it is found");
            assertEquals(1, DiscoveredSink.CLOSED.get(), "the manager made it, so the manager closed it");
        } finally {
            Thread.currentThread().setContextClassLoader(outer);
        }
    }

    private static AuditEvent outcome(List<AuditEvent> changes, int n) {
        return changes.get(2 * n + 1);
    }

    private static Schema schema() throws IOException {
        try (InputStream in = AuditEvent.class.getResourceAsStream(AuditEvent.SCHEMA_RESOURCE)) {
            assertTrue(in != null, "the schema ships in helm-sdk-api's jar at " + AuditEvent.SCHEMA_RESOURCE);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new ObjectMapper().readTree(in));
        }
    }
}
