package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.TestReport;
import dev.helmsdk.core.internal.report.DriftDetection;
import dev.helmsdk.core.internal.secrets.Redactor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code helm test} with one result per test hook. Helm runs the test hooks (weight, then name), stops at the first
 * that fails, and records each hook's last run in the release record ({@code hooks[].last_run}: started, completed,
 * phase); this reads that record before and after the run in Java, so a hook whose last run did not change did not
 * run this time. The test pods' logs come through fabric8, bounded by the operation's deadline, their tail cut to
 * the bytes asked for, the values of the release's own Secrets masked.
 */
public final class HelmTestReports {

    /** Lines asked of the server before the tail is cut to bytes: bounds what a chatty pod sends. */
    private static final int TAIL_LINES = 500;

    private final ReleaseStore store;
    private final Runner tests;
    private final Supplier<io.fabric8.kubernetes.client.KubernetesClient> client;
    private final ObjectMapper yaml;

    /** Runs the release's tests through Helm, throwing Helm's error when one fails. */
    interface Runner {
        void run(Operation op, String ns, String name, Duration limit);
    }

    HelmTestReports(ReleaseStore store, Runner tests, Supplier<io.fabric8.kubernetes.client.KubernetesClient> client,
                    ObjectMapper yaml) {
        this.store = store;
        this.tests = tests;
        this.client = client;
        this.yaml = yaml;
    }

    /**
     * Runs the tests (when {@code run}) and reports each. A failing test is reported; Helm's error is thrown only when
     * no test of this run failed (the tests could not run: a pod refused, the time limit).
     */
    TestReport report(Operation op, String ns, String name, Duration limit, boolean run, int logBytes) {
        StoredRelease before = store.revision(op, ns, name, 0);
        if (!run) {
            return of(before, null, ns, logBytes);
        }
        HelmOperationException failure = null;
        try {
            tests.run(op, ns, name, limit);
        } catch (HelmOperationException e) {
            failure = e;
        }
        TestReport report = of(store.revision(op, ns, name, 0), before, ns, logBytes);
        if (failure != null && report.tests().stream().noneMatch(t -> t.phase() == TestReport.Phase.FAILED)) {
            throw failure;
        }
        return report;
    }

    /** The report of {@code after}'s test hooks, with logs; a hook whose last run is the same as in {@code before} did not run. */
    private TestReport of(StoredRelease after, StoredRelease before, String ns, int logBytes) {
        TestReport plain = lastRun(after, before, ns);
        if (logBytes == 0 || plain.tests().isEmpty()) {
            return plain;
        }
        Redactor mask = DriftDetection.secretValues(after.manifest());
        List<TestReport.Test> out = new ArrayList<>();
        List<JsonNode> hooks = testHooks(after.hooks());
        for (int i = 0; i < hooks.size(); i++) {
            TestReport.Test t = plain.tests().get(i);
            Optional<String> logs = "Pod".equals(t.kind()) && t.phase() != TestReport.Phase.NOT_RUN
                    ? logs(ns, hooks.get(i), logBytes).map(mask::mask) : Optional.empty();
            out.add(new TestReport.Test(t.name(), t.kind(), t.phase(), t.startedAt(), t.completedAt(), logs));
        }
        return new TestReport(plain.release(), ns, plain.revision(), out);
    }

    /**
     * The test hooks of {@code after} as its record says they last ran, without logs: a hook that did not run in the
     * last run (it started before the first hook did, or, given {@code before}, the record before this run, or
     * {@code null}, its last run did not change) is {@link TestReport.Phase#NOT_RUN}.
     */
    public static TestReport lastRun(StoredRelease after, StoredRelease before, String ns) {
        List<TestReport.Test> out = new ArrayList<>();
        List<JsonNode> hooks = testHooks(after.hooks());
        // Every run starts with the first hook: one that last started before it did belongs to an earlier run.
        Optional<Instant> runStart = hooks.isEmpty() ? Optional.empty() : time(hooks.get(0).path("last_run").path("started_at"));
        for (JsonNode hook : hooks) {
            JsonNode last = hook.path("last_run");
            Optional<Instant> started = time(last.path("started_at"));
            TestReport.Phase phase = phase(last.path("phase").asText(""));
            boolean earlier = runStart.isPresent() && started.isPresent() && started.get().isBefore(runStart.get());
            if (started.isEmpty() || earlier || before != null && sameRun(last, hookNamed(before.hooks(), hook.path("name").asText()))) {
                phase = TestReport.Phase.NOT_RUN;
            }
            boolean ran = phase != TestReport.Phase.NOT_RUN;
            out.add(new TestReport.Test(hook.path("name").asText(), hook.path("kind").asText("Pod"), phase,
                    ran ? started : Optional.empty(), ran ? time(last.path("completed_at")) : Optional.empty(), Optional.empty()));
        }
        return new TestReport(after.name(), ns, after.revision(), out);
    }

    /** Hooks on the {@code test} event (Helm 3 stores the old {@code test-success} as {@code test}), in Helm's order. */
    static List<JsonNode> testHooks(JsonNode hooks) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode h : hooks) {
            for (JsonNode e : h.path("events")) {
                if ("test".equals(e.asText()) || "test-success".equals(e.asText())) {
                    out.add(h);
                    break;
                }
            }
        }
        out.sort(Comparator.comparingInt((JsonNode h) -> h.path("weight").asInt()).thenComparing(h -> h.path("name").asText()));
        return out;
    }

    private static JsonNode hookNamed(JsonNode hooks, String name) {
        for (JsonNode h : hooks) {
            if (name.equals(h.path("name").asText())) {
                return h;
            }
        }
        return null;
    }

    private static boolean sameRun(JsonNode last, JsonNode earlier) {
        return earlier != null && Objects.equals(last.path("started_at").asText(""), earlier.path("last_run").path("started_at").asText(""));
    }

    static TestReport.Phase phase(String helm) {
        return switch (helm) {
            case "Succeeded" -> TestReport.Phase.SUCCEEDED;
            case "Failed" -> TestReport.Phase.FAILED;
            case "Running" -> TestReport.Phase.RUNNING;
            case "" -> TestReport.Phase.NOT_RUN;
            default -> TestReport.Phase.UNKNOWN;
        };
    }

    /** Go's time in JSON; its zero time ({@code 0001-01-01T00:00:00Z}) is no time. */
    static Optional<Instant> time(JsonNode node) {
        String text = node.asText("");
        if (text.isEmpty() || text.startsWith("0001-01-01")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The tail of every container's log, or empty when the cluster serves none (the pod deleted, no kubelet). */
    private Optional<String> logs(String ns, JsonNode hook, int bytes) {
        List<String> containers = containers(hook.path("manifest").asText(""));
        StringBuilder all = new StringBuilder();
        for (String c : containers) {
            try {
                String log = client.get().pods().inNamespace(ns).withName(hook.path("name").asText())
                        .inContainer(c).tailingLines(TAIL_LINES).getLog();
                if (log != null && !log.isEmpty()) {
                    all.append(containers.size() > 1 ? "[" + c + "]\n" : "").append(log);
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // No logs to show: say nothing rather than guess.
            }
        }
        return all.length() == 0 ? Optional.empty() : Optional.of(tail(all.toString(), bytes));
    }

    /** The last {@code bytes} bytes of {@code text} in UTF-8, not splitting a character. */
    static String tail(String text, int bytes) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= bytes) {
            return text;
        }
        int from = b.length - bytes;
        while (from < b.length && (b[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
    }

    private List<String> containers(String manifest) {
        try {
            JsonNode pod = yaml.readTree(manifest);
            List<String> out = new ArrayList<>();
            pod.path("spec").path("containers").forEach(c -> out.add(c.path("name").asText()));
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }
}
