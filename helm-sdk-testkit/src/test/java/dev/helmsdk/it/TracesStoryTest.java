package dev.helmsdk.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees of a story on the embedded API with the defaults (cluster locks on): its spans by name and
 * parent (install; a failed upgrade rolled back automatically, the rollback under the upgrade's remediate phase; a
 * timeout recorded as an error of the wait phase), and its log lines: each carries the MDC of its operation, from
 * whichever thread; one INFO per change, a WARN for the rollback, nothing per poll above DEBUG; and a secret resolved
 * for an operation appears in no line at any level.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class TracesStoryTest {

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");
    private static final List<String> MDC_KEYS = List.of("helm.release", "helm.namespace", "helm.operation", "helm.operation_id");

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger sdk = (Logger) LoggerFactory.getLogger("dev.helmsdk");
    private Level sdkLevel;

    /** Every operation's event, by id. */
    static final class Operations implements OperationInterceptor {
        final Map<String, OperationEvent> byId = new ConcurrentHashMap<>();

        @Override
        public void before(OperationEvent event) {
            byId.put(event.id(), event);
        }
    }

    @BeforeEach
    void capture() {
        sdkLevel = sdk.getLevel();
        sdk.setLevel(Level.DEBUG); // the worker threads' and Helm's DEBUG lines too
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void release() {
        root.detachAppender(lines);
        sdk.setLevel(sdkLevel);
    }

    /** The SDK's own lines (not the embedded API server's). */
    private List<ILoggingEvent> sdkLines() {
        return lines.list.stream().filter(e -> e.getLoggerName().startsWith("dev.helmsdk")
                && !e.getLoggerName().startsWith("dev.helmsdk.testkit")).toList();
    }

    /** Each observation as "contextual name < parent's contextual name [outcome]", in the order they started. */
    private static List<String> tree(TestObservationRegistry registry) {
        List<String> out = new ArrayList<>();
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context c : contexts) {
                String parent = c.getParentObservation() == null ? "-" : c.getParentObservation().getContextView().getContextualName();
                out.add(c.getContextualName() + " < " + parent + " [" + c.getLowCardinalityKeyValue("outcome").getValue() + "]");
            }
        });
        return out;
    }

    @Test
    void aStoryShowsItsSpansByNameAndParentAndItsLinesWithTheirOperation(EmbeddedKubernetes cluster) {
        TestObservationRegistry registry = TestObservationRegistry.create();
        Operations ops = new Operations();
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).observationRegistry(registry)
                .interceptor(ops).build()) {
            lines.list.clear(); // what building the manager said is not an operation's
            helm.install("shop").inNamespace("traces").createNamespace().chart(TESTED).waitReady(Duration.ofMinutes(1)).run();
            assertEquals(List.of("helm install < - [success]", "helm install lock < helm install [success]",
                    "helm install apply < helm install [success]", "helm install wait < helm install [success]"), tree(registry));

            registry.clear();
            assertThrows(AutoRollbackException.class, () -> helm.upgrade("shop").inNamespace("traces").chart(TESTED)
                    .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
            assertEquals(List.of("helm upgrade < - [auto_rollback]", "helm upgrade lock < helm upgrade [success]",
                    "helm upgrade apply < helm upgrade [success]", "helm upgrade wait < helm upgrade [readiness_failed]",
                    "helm upgrade remediate < helm upgrade [success]", "helm rollback < helm upgrade remediate [success]",
                    "helm rollback apply < helm rollback [success]", "helm rollback wait < helm rollback [success]"), tree(registry));
            TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm rollback")
                    .hasLowCardinalityKeyValue("remediation", "true").hasHighCardinalityKeyValue("release", "shop")
                    .hasHighCardinalityKeyValue("namespace", "traces"));

            registry.clear();
            OperationTimeoutException timeout = assertThrows(OperationTimeoutException.class, () -> helm.upgrade("shop")
                    .inNamespace("traces").chart(TESTED).set(CRASH, WorkloadFailure.NEVER_READY.markerValue())
                    .waitReady(Duration.ofSeconds(2)).run());
            TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm upgrade")
                    .hasLowCardinalityKeyValue("outcome", "operation_timeout").hasError());
            TestObservationRegistryAssert.assertThat(registry).hasAnObservation(o -> o.hasContextualNameEqualTo("helm upgrade wait")
                    .hasLowCardinalityKeyValue("outcome", "operation_timeout").hasError());
            TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> contexts.stream()
                    .filter(c -> c.getError() != null).forEach(c -> assertFalse(c.getError().getMessage().contains("traces"),
                            "an error's message stays out of the span: " + c.getError().getMessage())));
            assertTrue(timeout.getMessage().contains("traces"), "while the exception says which release");
        }

        List<ILoggingEvent> sdkLines = sdkLines();
        assertTrue(sdkLines.stream().anyMatch(e -> e.getThreadName().startsWith("helm-sdk-op-")), "lines from the worker threads");
        for (ILoggingEvent e : sdkLines) {
            Map<String, String> mdc = e.getMDCPropertyMap();
            assertTrue(mdc.keySet().containsAll(MDC_KEYS), "MDC of " + describe(e) + ": " + mdc);
            OperationEvent op = ops.byId.get(mdc.get("helm.operation_id"));
            assertTrue(op != null, "an operation's id: " + describe(e));
            assertEquals(op.operation().tag(), mdc.get("helm.operation"), describe(e));
            assertEquals(op.releaseName(), mdc.get("helm.release"), describe(e));
            assertEquals(op.namespace(), mdc.get("helm.namespace"), describe(e));
        }
        // One INFO per change, whatever its outcome: install, the failed upgrade, its rollback, the timed-out upgrade.
        List<String> infos = sdkLines.stream().filter(e -> e.getLevel() == Level.INFO)
                .map(e -> e.getMDCPropertyMap().get("helm.operation") + " " + e.getFormattedMessage().replaceAll(" took \\d+ ms", "")).toList();
        assertEquals(List.of("install install release=shop namespace=traces outcome=success",
                "rollback rollback release=shop namespace=traces outcome=success",
                "upgrade upgrade release=shop namespace=traces outcome=auto_rollback",
                "upgrade upgrade release=shop namespace=traces outcome=operation_timeout"), infos);
        Map<String, Long> infosPerOperation = sdkLines.stream().filter(e -> e.getLevel() == Level.INFO)
                .collect(Collectors.groupingBy(e -> e.getMDCPropertyMap().get("helm.operation_id"), Collectors.counting()));
        assertTrue(infosPerOperation.values().stream().allMatch(n -> n == 1), "one INFO per operation: " + infosPerOperation);
        // The automatic rollback is a WARN of the upgrade it undid, logged after the rollback gave the upgrade's MDC back.
        List<ILoggingEvent> warns = sdkLines.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertTrue(warns.stream().anyMatch(e -> e.getFormattedMessage().contains("failed; rolled back to revision 1")
                && "upgrade".equals(e.getMDCPropertyMap().get("helm.operation"))), "the rollback's WARN: " + warns.stream().map(TracesStoryTest::describe).toList());
        // Nothing per poll above DEBUG: the readiness loop and the lock wait speak at DEBUG only.
        for (ILoggingEvent e : sdkLines) {
            if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
                assertFalse(e.getLoggerName().contains("readiness") && !e.getFormattedMessage().contains("cannot list pods"),
                        "a readiness poll above DEBUG: " + describe(e));
                assertFalse(e.getFormattedMessage().startsWith("readiness: "), "a poll above DEBUG: " + describe(e));
            }
        }
        assertTrue(sdkLines.stream().anyMatch(e -> e.getLevel() == Level.DEBUG && e.getFormattedMessage().startsWith("readiness: ")),
                "the polls were there, at DEBUG");
    }

    @Test
    void aResolvedSecretReachesNoLineAtAnyLevel(EmbeddedKubernetes cluster) {
        String canary = "CANARY-traces-6d1f0c";
        List<String> forms = List.of(canary, Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8)));
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withSecret("shop/db", Map.of("password", canary));
        Logger rootLogger = root;
        Level rootLevel = rootLogger.getLevel();
        rootLogger.setLevel(Level.DEBUG); // fabric8's and the rest too, as an operator chasing a problem would
        try {
            for (HelmSdk.HelmProcess process : HelmSdk.HelmProcess.values()) {
                try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).secretResolver(fake)
                        .helmProcess(process).observationRegistry(TestObservationRegistry.create()).build()) {
                    String ns = "canary-" + process.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                    helm.install("shop").inNamespace(ns).createNamespace().chart(TESTED)
                            .set("message", "ref+fake://shop/db#/password").waitReady(Duration.ofMinutes(1)).run();
                    // A server dry run of an upgrade asks Helm for its debug report and log: routed to DEBUG, masked.
                    helm.upgrade("shop").inNamespace(ns).chart(TESTED).set("message", "ref+fake://shop/db#/password").dryRun();
                    assertThrows(AutoRollbackException.class, () -> helm.upgrade("shop").inNamespace(ns).chart(TESTED)
                            .set("message", "ref+fake://shop/db#/password").set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue())
                            .waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
                }
            }
        } finally {
            rootLogger.setLevel(rootLevel);
        }
        assertTrue(lines.list.stream().anyMatch(e -> e.getLevel() == Level.DEBUG && e.getLoggerName().startsWith("dev.helmsdk")),
                "DEBUG lines were captured");
        // Helm's own log, from this JVM and from the isolated processes alike, at DEBUG with its operation's MDC.
        List<ILoggingEvent> helmLog = lines.list.stream().filter(e -> e.getLoggerName().equals("dev.helmsdk.helm")).toList();
        assertTrue(helmLog.stream().anyMatch(e -> e.getFormattedMessage().contains("dry run for shop")), "Helm's log was routed");
        for (ILoggingEvent e : helmLog) {
            assertEquals(Level.DEBUG, e.getLevel(), describe(e));
            assertTrue(e.getMDCPropertyMap().keySet().containsAll(MDC_KEYS), "MDC of " + describe(e));
        }
        for (ILoggingEvent e : lines.list) {
            String all = e.getFormattedMessage() + " " + e.getMDCPropertyMap() + " " + throwable(e.getThrowableProxy());
            for (String form : forms) {
                assertFalse(all.contains(form), "the canary leaked (" + e.getLevel() + " " + e.getLoggerName() + ")");
            }
        }
    }

    private static String throwable(IThrowableProxy t) {
        StringBuilder out = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            out.append(p.getClassName()).append(": ").append(p.getMessage()).append('\n');
            for (IThrowableProxy s : p.getSuppressed()) {
                out.append(throwable(s));
            }
        }
        return out.toString();
    }

    private static String describe(ILoggingEvent e) {
        return e.getLevel() + " [" + e.getThreadName() + "] " + e.getLoggerName() + " - " + e.getFormattedMessage();
    }
}
