package dev.helmsdk.core.internal;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.source.RemoteCharts;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One casing for every metric tag value: lower-case words joined by '_'. */
class MetricTagsTest {

    @TempDir
    Path dir;

    @Test
    void wordsOfAnyCasingBecomeSnakeCase() {
        assertEquals("release_not_found", MetricTags.value("ReleaseNotFound"));
        assertEquals("insecure_transport", MetricTags.value("INSECURE_TRANSPORT"));
        assertEquals("pending_upgrade", MetricTags.value("pending-upgrade"));
        assertEquals("tls", MetricTags.value("TLS"));
        for (Operation op : Operation.values()) {
            assertTrue(MetricTags.FORM.matcher(op.tag()).matches(), op.tag());
            assertEquals(op.tag(), MetricTags.value(op.name()), "Operation.tag() is the same casing");
        }
        for (ChartSourceException.Reason r : ChartSourceException.Reason.values()) {   // as RemoteCharts tags them
            assertTrue(MetricTags.FORM.matcher(r.name().toLowerCase(java.util.Locale.ROOT)).matches(), r.name());
        }
    }

    @Test
    void outcomesNameTheKindOfHelmSdkException() {
        assertEquals("release_not_found", MetricTags.outcome(new ReleaseNotFoundException(Operation.STATUS, "web", "no")));
        assertEquals("operation_timeout", MetricTags.outcome(new OperationTimeoutException(Operation.INSTALL, "web",
                Duration.ofSeconds(1), "slow", null)));
        assertEquals("invalid_request", MetricTags.outcome(new InvalidRequestException(Operation.INSTALL, "web", "bad")));
        assertEquals("auto_rollback", MetricTags.outcome(new AutoRollbackException(
                new HelmSdkException(Operation.UPGRADE, "web", "x", null), 1, null, "rolled back")));
        assertEquals("error", MetricTags.outcome(new HelmSdkException(Operation.INSTALL, "web", "x", null)));
        assertEquals("release_not_found", MetricTags.outcome(new ReleaseNotFoundException(Operation.STATUS, "web", "no") {
        }), "a subclass of the user's counts as the SDK's kind: the values stay few");
    }

    @Test
    void everyExceptionOfTheApiGivesAnOutcomeOfTheOneForm() throws Exception {
        Map<String, String> outcomes = new TreeMap<>();
        for (Class<? extends HelmSdkException> kind : apiExceptions()) {
            String outcome = MetricTags.outcome(kind);
            assertTrue(MetricTags.FORM.matcher(outcome).matches(), kind + ": " + outcome);
            outcomes.put(kind.getSimpleName(), outcome);
        }
        assertTrue(outcomes.size() >= 14, "found the API's exceptions: " + outcomes);
        assertEquals("credential_resolution", outcomes.get("CredentialResolutionException"));
        assertEquals("health_check_failed", outcomes.get("HealthCheckFailedException"));
        assertEquals("error", outcomes.get("HelmSdkException"));
    }

    @Test
    void theMetersTheSdkRegistersCarryOnlyValuesOfTheOneForm() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OperationRunner runner = new OperationRunner(registry, Interceptors.of(List.of(
                new dev.helmsdk.core.internal.telemetry.MeterInterceptor(registry, false))));
             RemoteCharts charts = new RemoteCharts(ChartSources.defaults(), dir, registry)) {
            runner.runInline(Operation.DRY_RUN, "web", "apps", Duration.ofSeconds(5), () -> "ok");
            assertThrows(ReleaseNotFoundException.class, () -> runner.runInline(Operation.NEEDS_UPGRADE, "web", "apps",
                    Duration.ofSeconds(5), () -> {
                        throw new ReleaseNotFoundException(Operation.NEEDS_UPGRADE, "web", "no");
                    }));
            assertThrows(HelmSdkException.class, () -> runner.runInline(Operation.HEALTH_CHECK, "web", "apps",
                    Duration.ofSeconds(5), () -> {
                        throw new IllegalStateException("boom");
                    }));
            assertThrows(OperationTimeoutException.class, () -> runner.runInline(Operation.INSTALL, "web", "apps",
                    Duration.ofMillis(50), () -> {
                        try {
                            Thread.sleep(5_000);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException("interrupted at the limit", e);
                        }
                        return "late";
                    }));
            assertThrows(ChartSourceException.class, () -> charts.fetch(Operation.INSTALL, "web",
                    (dev.helmsdk.api.ChartRef.Repository) dev.helmsdk.api.ChartRef.repository("http://127.0.0.1:1", "web", "1.0.0"),
                    dev.helmsdk.api.auth.CredentialContext::empty));
            List<String> values = new ArrayList<>();
            for (Meter m : registry.getMeters()) {
                for (Tag t : m.getId().getTags()) {
                    values.add(m.getId().getName() + " " + t.getKey() + "=" + t.getValue());
                    assertTrue(MetricTags.FORM.matcher(t.getValue()).matches(), m.getId() + ": " + t);
                }
            }
            assertTrue(values.containsAll(List.of("helm.sdk.operations operation=dry_run", "helm.sdk.operations outcome=success",
                    "helm.sdk.operations outcome=release_not_found", "helm.sdk.operations outcome=error",
                    "helm.sdk.operations outcome=operation_timeout", "helm.sdk.chart.index result=hit",
                    "helm.sdk.chart.fetch source=repository")), values.toString());
        }
    }

    /** The concrete and abstract exception classes of helm-sdk-api, found in its classes. */
    @SuppressWarnings("unchecked")
    private static List<Class<? extends HelmSdkException>> apiExceptions() throws IOException, URISyntaxException {
        Path root = Path.of(HelmSdkException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<? extends HelmSdkException>> kinds = new ArrayList<>();
        if (Files.isDirectory(root)) {
            collect(root, kinds);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                collect(jar.getPath("/"), kinds);
            }
        }
        return kinds;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Path root, List<Class<? extends HelmSdkException>> kinds) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = root.relativize(f).toString();
                if (!name.endsWith("Exception.class") || name.contains("$")) {
                    continue;
                }
                try {
                    Class<?> c = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
                    if (HelmSdkException.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())) {
                        kinds.add((Class<? extends HelmSdkException>) c);
                    }
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
