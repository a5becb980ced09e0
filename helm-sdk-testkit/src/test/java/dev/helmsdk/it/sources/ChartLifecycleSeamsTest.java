package dev.helmsdk.it.sources;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.helmsdk.api.ChartDependencyException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.audit.JsonLinesAuditSink;
import dev.helmsdk.it.RecordingInterceptor;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chart lifecycle's operations go through the manager's seams (interceptors, meters, the audit trail, log lines)
 * with the same names and shape, and no registry password or signing passphrase reaches any of them; and remote
 * sources serving broken bytes (a truncated dependency from a repository or a registry, a tampered manifest) are typed
 * errors naming the thing, with the chart and the destination left as they were.
 */
@org.junit.jupiter.api.Tag("integration")
class ChartLifecycleSeamsTest {

    private static final String PASSWORD = "Registry-Secret-pw7";
    private static final String PASSPHRASE = "Signing-Secret-pp9";
    private static final Set<Operation> LIFECYCLE = EnumSet.of(Operation.PACKAGE, Operation.PUSH, Operation.PULL,
            Operation.DEPENDENCY_UPDATE, Operation.DEPENDENCY_BUILD, Operation.VERIFY);

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger sdk = (Logger) LoggerFactory.getLogger("dev.helmsdk");
    private Level sdkLevel;

    @BeforeEach
    void captureLogs() {
        lines.start();
        root.addAppender(lines);
        sdkLevel = sdk.getLevel();
        sdk.setLevel(Level.DEBUG);   // the lines a user debugging this would see too
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(lines);
        sdk.setLevel(sdkLevel);
    }

    @Test
    void everyOperationIsInterceptedMeteredAndAuditedAndNoSecretReachesAnyOfIt() throws Exception {
        RecordingInterceptor recorder = new RecordingInterceptor();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Path trail = tmp.resolve("audit.jsonl");
        List<String> messages = new ArrayList<>();
        Path passphrase = Files.writeString(tmp.resolve("passphrase"), PASSPHRASE);
        Path garbageKeyring = Files.write(tmp.resolve("secring.gpg"), new byte[] {1, 2, 3});
        try (FakeOciRegistry registry = FakeOciRegistry.builder().basicAuth("robot", PASSWORD).chart(SourceCharts.chartDir()).start();
             JsonLinesAuditSink audit = new JsonLinesAuditSink(trail);
             ChartLifecycle charts = HelmSdk.chartLifecycle().interceptor(recorder).meterRegistry(meters).auditSink(audit).actor("ci-job")
                     .chartSources(ChartSources.builder().plainHttp(registry.hostAndPort())
                             .credentials(StaticCredentialProvider.of(registry.url(), new Credentials.BasicAuth("robot", PASSWORD))).build())
                     .build()) {
            ChartRef web = ChartRef.oci(registry.url() + "/" + SourceCharts.NAME, null);
            ChartLifecycle.Pulled pulled = charts.pullUntarred(web, tmp.resolve("pulled"));
            Path umbrella = umbrella(tmp.resolve("umbrella"), registry.url().toString());
            charts.dependencyUpdate(umbrella);
            charts.dependencyBuild(umbrella);
            ChartLifecycle.Packaged packaged = charts.packageChart(pulled.path(), tmp.resolve("out"));
            messages.add(assertThrows(HelmSdkException.class, () -> charts.push(packaged.archive(), registry.url().toString())).getMessage());
            messages.add(assertThrows(HelmSdkException.class, () -> charts.verify(packaged.archive(), garbageKeyring)).getMessage());
            messages.add(assertThrows(HelmSdkException.class, () -> charts.packageChart(pulled.path(), tmp.resolve("signed"),
                    new ChartLifecycle.Signing("release-bot", garbageKeyring, passphrase))).getMessage());
        }

        // Interceptors: every lifecycle operation, before and after, for the builder's actor.
        assertEquals(LIFECYCLE, recorder.before.stream().map(OperationEvent::operation).collect(Collectors.toCollection(() -> EnumSet.noneOf(Operation.class))));
        assertEquals(recorder.before.size(), recorder.after.size());
        assertTrue(recorder.before.stream().allMatch(e -> e.actor().equals("ci-job")));

        // Meters: the manager's timer, per operation and outcome.
        for (Operation op : LIFECYCLE) {
            assertFalse(meters.find("helm.sdk.operations").tag("operation", op.tag()).timers().isEmpty(), op + ": " + meters.getMetersAsString());
        }
        assertEquals(1, meters.find("helm.sdk.operations").tag("operation", "pull").tag("outcome", "success").timer().count());

        // The audit trail: the changes, intent and outcome, naming the chart; a verification changes nothing.
        List<String> json = Files.readAllLines(trail);
        List<AuditEvent> events = JsonLinesAuditSink.read(trail);
        Set<Operation> audited = events.stream().map(AuditEvent::operation).collect(Collectors.toCollection(() -> EnumSet.noneOf(Operation.class)));
        assertEquals(EnumSet.of(Operation.PACKAGE, Operation.PUSH, Operation.PULL, Operation.DEPENDENCY_UPDATE, Operation.DEPENDENCY_BUILD), audited);
        AuditEvent pulledOutcome = events.stream().filter(e -> e.operation() == Operation.PULL && e.phase() == AuditEvent.Phase.OUTCOME)
                .findFirst().orElseThrow();
        assertEquals("success", pulledOutcome.outcome().orElseThrow());
        assertEquals(SourceCharts.NAME, pulledOutcome.chart().orElseThrow().name());
        assertEquals("ci-job", pulledOutcome.actor());
        assertEquals(2, events.stream().filter(e -> e.operation() == Operation.PUSH).count(), "a failed push: its intent and its outcome");
        try (java.io.InputStream in = AuditEvent.class.getResourceAsStream(AuditEvent.SCHEMA_RESOURCE)) {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                    com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(mapper.readTree(in));
            for (String line : json) {
                assertEquals(List.of(), schema.validate(mapper.readTree(line)), "the manager's event shape: " + line);
            }
        }

        // No secret anywhere someone else reads.
        List<String> everything = new ArrayList<>(json);
        everything.addAll(messages);
        meters.getMeters().stream().map(Meter::getId).forEach(id -> everything.add(id.getName() + id.getTags().stream().map(Tag::getValue).toList()));
        lines.list.forEach(l -> everything.add(l.getFormattedMessage() + l.getMDCPropertyMap() + (l.getThrowableProxy() == null ? "" : l.getThrowableProxy().getMessage())));
        recorder.after.values().forEach(o -> o.failure().ifPresent(f -> everything.add(String.valueOf(f))));
        assertFalse(lines.list.isEmpty(), "log lines were captured");
        for (String text : everything) {
            assertFalse(text.contains(PASSWORD) || text.contains(PASSPHRASE), "a secret in: " + text);
        }
    }

    @Test
    void aVetoStopsALifecycleOperationBeforeAnyRequest() {
        OperationInterceptor policy = new OperationInterceptor() {
            @Override
            public void before(OperationEvent e) {
                if (e.operation() == Operation.PULL) {
                    throw new InvalidRequestException(e.operation(), null, "pulls are closed today");
                }
            }
        };
        try (FakeOciRegistry registry = FakeOciRegistry.builder().chart(SourceCharts.chartDir()).start();
             ChartLifecycle charts = HelmSdk.chartLifecycle().interceptor(policy)
                     .chartSources(ChartSources.builder().plainHttp(registry.hostAndPort()).build()).build()) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> charts.pull(ChartRef.oci(registry.url() + "/" + SourceCharts.NAME, null), tmp.resolve("pulled")));
            assertEquals("pulls are closed today", e.getMessage());
            assertEquals(List.of(), registry.requests());
            assertFalse(Files.exists(tmp.resolve("pulled")));
        }
    }

    @Test
    void aTruncatedDependencyFromARepositoryOrARegistryLeavesTheChartAsItWas() throws Exception {
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(SourceCharts.chartDir()).start();
             FakeOciRegistry registry = FakeOciRegistry.builder().chart(SourceCharts.chartDir()).start()) {
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort(), registry.hostAndPort()).build();
            for (String source : new String[] {repo.url().toString(), registry.url().toString()}) {
                Path chart = umbrella(tmp.resolve("chart-" + source.hashCode()), source);
                try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).workDirectory(tmp.resolve("w1-" + source.hashCode())).build()) {
                    charts.dependencyUpdate(chart);
                }
                Map<String, byte[]> before = ChartLifecycleTest.snapshot(chart);
                repo.serveTruncatedArchives(true);
                registry.serveTruncatedBlobs(true);
                try (ChartLifecycle fresh = HelmSdk.chartLifecycle().chartSources(sources).workDirectory(tmp.resolve("w2-" + source.hashCode())).build()) {
                    Files.delete(chart.resolve("Chart.lock"));   // an update that must download again
                    before.remove("Chart.lock");
                    ChartDependencyException e = assertThrows(ChartDependencyException.class, () -> fresh.dependencyUpdate(chart), source);
                    assertEquals(SourceCharts.NAME, e.dependency());
                    assertEquals(source, e.repository());
                    assertTrue(e.getMessage().contains(SourceCharts.NAME) && e.getMessage().contains(source), e.getMessage());
                    assertInstanceOf(ChartSourceException.class, e.getCause());
                    ChartLifecycleTest.assertSnapshotEquals(before, ChartLifecycleTest.snapshot(chart));   // charts/ as it was, no lock written
                } finally {
                    repo.serveTruncatedArchives(false);
                    registry.serveTruncatedBlobs(false);
                }
            }
        }
    }

    @Test
    void pullsOfBrokenBytesAreTypedAndWriteNothing() throws Exception {
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(SourceCharts.chartDir()).start();
             FakeOciRegistry registry = FakeOciRegistry.builder().chart(SourceCharts.chartDir()).start()) {
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort(), registry.hostAndPort()).build();
            Path into = Files.createDirectories(tmp.resolve("into"));
            Files.writeString(into.resolve("mine.txt"), "mine");
            String oci = registry.url() + "/" + SourceCharts.NAME;
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).workDirectory(tmp.resolve("work")).build()) {
                registry.serveTamperedManifests(true);
                for (ChartRef ref : List.of(ChartRef.oci(oci, null),
                        ChartRef.oci(oci + "@" + registry.manifestDigest(SourceCharts.NAME, SourceCharts.VERSION), null))) {
                    ChartSourceException e = assertThrows(ChartSourceException.class, () -> charts.pull(ref, into), ref.describe());
                    assertEquals(ChartSourceException.Reason.INVALID_CONTENT, e.reason(), e.getMessage());
                    assertTrue(e.getMessage().contains("digest") && e.getMessage().contains(registry.hostAndPort()), e.getMessage());
                }
                registry.serveTamperedManifests(false);
                registry.serveTruncatedBlobs(true);
                ChartSourceException cut = assertThrows(ChartSourceException.class, () -> charts.pullUntarred(ChartRef.oci(oci, null), into));
                assertTrue(cut.getMessage().contains(registry.hostAndPort()), cut.getMessage());
                repo.serveTruncatedArchives(true);
                ChartSourceException cutRepo = assertThrows(ChartSourceException.class,
                        () -> charts.pull(ChartRef.repository(repo.url().toString(), SourceCharts.NAME, null), into));
                assertEquals(ChartSourceException.Reason.INVALID_CONTENT, cutRepo.reason());
                assertTrue(cutRepo.getMessage().contains(repo.hostAndPort()), cutRepo.getMessage());
            }
            try (Stream<Path> s = Files.list(into)) {
                assertEquals(List.of("mine.txt"), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    /** A chart depending on {@code sdk-web 0.3.0} from {@code repository}. */
    private static Path umbrella(Path dir, String repository) throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n- name: "
                + SourceCharts.NAME + "\n  version: " + SourceCharts.VERSION + "\n  repository: " + repository + "\n");
        return dir;
    }
}
