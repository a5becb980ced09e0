package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationPhase;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.MetricTags;
import dev.helmsdk.core.internal.source.RemoteCharts;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meters recorded from each thing an operation shows its interceptors, and the README's table of
 * meters held to what the SDK registers (every signal's meter, and those of the chart sources).
 */
class MeterInterceptorTest {

    private static final String CANARY = "canary-s3cr3t-value";

    @TempDir
    Path dir;

    private static OperationEvent event(Operation op, String release, String parent) {
        return new OperationEvent("id-" + op, op, release, "apps", Instant.now(), Optional.ofNullable(parent), "ci:" + CANARY);
    }

    /** Every kind of end, signal and secret access the interceptor records, once. */
    private static void everything(MeterInterceptor meters) {
        OperationEvent upgrade = event(Operation.UPGRADE, "web", null);
        OperationEvent rollback = event(Operation.ROLLBACK, "web", upgrade.id());
        meters.signal(upgrade, new OperationSignal.LockAcquired(Duration.ofMillis(40), true, Optional.of("1@" + CANARY)));
        meters.signal(upgrade, new OperationSignal.ChartFetched("repository", "charts.example.com", "cached"));
        meters.signal(upgrade, new OperationSignal.AuthenticationFailed("charts.example.com", "unauthorized"));
        meters.signal(upgrade, new OperationSignal.ReleaseRecovered(ReleaseStatus.PENDING_UPGRADE));
        meters.signal(upgrade, new OperationSignal.ReadinessEnded("crash_loop", Duration.ofSeconds(3)));
        meters.signal(upgrade, new OperationSignal.PhaseStarted(OperationPhase.WAIT));
        meters.signal(upgrade, new OperationSignal.Changed("web", "1.0.0", "/charts/" + CANARY, 1, 0, "sha256:00"));
        meters.secretAccessed(upgrade, new SecretAccess("ref+vault://app/" + CANARY, "vault", "Fake", SecretAccess.Outcome.FAILED,
                Optional.of(SecretResolutionException.Reason.NOT_FOUND), Duration.ofMillis(5)));
        meters.after(rollback, new OperationOutcome(Duration.ofSeconds(2), Optional.empty()));
        HelmSdkException timeout = new OperationTimeoutException(Operation.UPGRADE, "web", Duration.ofSeconds(1), OperationPhase.WAIT,
                "slow", null);
        meters.after(upgrade, new OperationOutcome(Duration.ofSeconds(5), Optional.of(new AutoRollbackException(timeout, 1, null, "back"))));
        OperationEvent check = event(Operation.SECRET_CHECK, "web", null);
        meters.signal(check, new OperationSignal.SecretsRotated(1));
        meters.after(check, new OperationOutcome(Duration.ofMillis(3), Optional.empty()));
    }

    @Test
    void eachSignalCountsUnderItsMeterWithLowCardinalityTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        everything(new MeterInterceptor(registry, false));
        assertEquals(1, registry.get(MeterInterceptor.LOCK_WAIT).tag("operation", "upgrade").timer().count());
        assertEquals(1, registry.get(MeterInterceptor.LOCK_TAKEOVERS).tag("operation", "upgrade").counter().count());
        assertEquals(1, registry.get(MeterInterceptor.CHART_FETCHES).tags("source", "repository", "host", "charts.example.com",
                "result", "cached").counter().count());
        assertEquals(1, registry.get(MeterInterceptor.AUTH_FAILURES).tags("host", "charts.example.com", "reason", "unauthorized")
                .counter().count());
        assertEquals(1, registry.get(MeterInterceptor.RECOVERED).tag("stuck_in", "pending_upgrade").counter().count());
        assertEquals(3.0, registry.get(MeterInterceptor.READINESS).tags("operation", "upgrade", "reason", "crash_loop").timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS), 0.001);
        assertEquals(1, registry.get(MeterInterceptor.SECRET_RESOLUTIONS).tags("scheme", "vault", "outcome", "failed", "reason", "not_found")
                .timer().count());
        assertEquals(1, registry.get(MeterInterceptor.AUTO_ROLLBACKS).tags("operation", "rollback", "outcome", "success").counter().count());
        assertEquals(1, registry.get(MeterInterceptor.OPERATIONS).tags("operation", "upgrade", "outcome", "auto_rollback").timer().count());
        assertEquals(1, registry.get(MeterInterceptor.OPERATIONS).tags("operation", "rollback", "outcome", "success").timer().count());
        assertEquals(1, registry.get(MeterInterceptor.TIMEOUTS).tags("operation", "upgrade", "phase", "wait").counter().count(),
                "the timeout an automatic rollback undid counts, by the phase it cut short");
        assertEquals(1, registry.get(MeterInterceptor.SECRET_ROTATIONS).counter().count());
        for (Meter m : registry.getMeters()) {
            for (Tag t : m.getId().getTags()) {
                assertFalse(t.getValue().contains(CANARY), m.getId().toString());
                assertTrue(t.getKey().equals("host") || MetricTags.FORM.matcher(t.getValue()).matches(), m.getId().toString());
            }
        }
    }

    @Test
    void aTimeoutOfTheRollbackItselfIsNotCountedTwice() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeterInterceptor meters = new MeterInterceptor(registry, false);
        OperationEvent upgrade = event(Operation.UPGRADE, "web", null);
        meters.after(event(Operation.ROLLBACK, "web", upgrade.id()), new OperationOutcome(Duration.ofSeconds(1),
                Optional.of(new OperationTimeoutException(Operation.ROLLBACK, "web", Duration.ofSeconds(1), OperationPhase.APPLY, "slow", null))));
        assertTrue(registry.find(MeterInterceptor.TIMEOUTS).meters().isEmpty());
        assertEquals(1, registry.get(MeterInterceptor.AUTO_ROLLBACKS).tags("outcome", "operation_timeout").counter().count());
    }

    @Test
    void releaseNamesOnlyWhenAskedFor() {
        SimpleMeterRegistry off = new SimpleMeterRegistry();
        everything(new MeterInterceptor(off, false));
        assertTrue(off.getMeters().stream().noneMatch(m -> m.getId().getTag("release") != null));
        SimpleMeterRegistry on = new SimpleMeterRegistry();
        everything(new MeterInterceptor(on, true));
        assertFalse(on.getMeters().isEmpty());
        for (Meter m : on.getMeters()) {
            assertEquals("web", m.getId().getTag("release"), m.getId().toString());
        }
    }

    @Test
    void theReadmeTableListsExactlyTheMetersTheSdkRegisters() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        everything(new MeterInterceptor(registry, false));
        try (RemoteCharts charts = new RemoteCharts(ChartSources.defaults(), dir, registry)) {
            try {
                charts.fetch(Operation.INSTALL, "web", (dev.helmsdk.api.ChartRef.Repository) dev.helmsdk.api.ChartRef.repository(
                        "http://127.0.0.1:1", "web", "1.0.0"), dev.helmsdk.api.auth.CredentialContext::empty);
            } catch (HelmSdkException expected) {
                // nothing listens there: the fetch timer records the failure
            }
        }
        AuditInterceptor audit = new AuditInterceptor(List.of(event -> {
            throw new IllegalStateException("disk full");
        }), dev.helmsdk.api.audit.AuditPolicy.FAIL_OPEN, registry, e -> "error");
        audit.before(new dev.helmsdk.api.spi.OperationEvent("op-1", Operation.INSTALL, "web", "apps", java.time.Instant.now(),
                java.util.Optional.empty()));
        new dev.helmsdk.core.internal.cache.CacheMeters(registry).read(Operation.STATUS, true);
        assertEquals(readmeTable(), registered(registry));
    }

    /** Each meter as {@code name type tag,tag} (tag keys sorted). */
    static Set<String> registered(SimpleMeterRegistry registry) {
        Set<String> out = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            out.add(m.getId().getName() + " " + m.getId().getType().name().toLowerCase(Locale.ROOT) + " "
                    + String.join(",", new TreeSet<>(m.getId().getTags().stream().map(Tag::getKey).toList())));
        }
        return out;
    }

    private static final Pattern ROW = Pattern.compile("^\\| `(helm\\.sdk\\.[a-z.]+)` \\| (\\w+) \\| ([^|]+) \\|");

    /** The table under "### Metrics" in README.md, as {@link #registered}. */
    static Set<String> readmeTable() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md")) || !Files.exists(root.resolve("helm-sdk-core"))) {
            root = root.getParent();
        }
        String readme = Files.readString(root.resolve("README.md"));
        String section = readme.substring(readme.indexOf("\n### Metrics\n"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> out = new TreeSet<>();
        for (String line : section.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                String tags = m.group(3).trim();
                out.add(m.group(1) + " " + m.group(2) + " " + (tags.equals("none") ? ""
                        : String.join(",", new TreeSet<>(List.of(tags.replace("`", "").split(",\\s*"))))));
            }
        }
        assertTrue(out.size() >= 10, "found the table: " + out);
        return out;
    }
}
