package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.SilentApiServer;
import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.KubeAccess;
import dev.helmsdk.core.internal.InProcessHelmCalls;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helm calls in child JVMs: same results as in process, errors as helm-java's, and calls that really stop. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ChildProcessHelmCallsTest {

    @TempDir
    static Path tmp;
    private Path chart;
    private Path brokenChart;
    private final List<ChildProcessHelmCalls> opened = new ArrayList<>();
    private SilentApiServer silent;

    @BeforeAll
    void charts() throws IOException {
        chart = Files.createDirectories(tmp.resolve("tiny"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: tiny\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("values.yaml"), "greeting: hi\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-cm
                data:
                  greeting: {{ .Values.greeting | quote }}
                  unicode: "héllo ✓ 世界"
                  multi: |
                    line one
                    line "two"\tand a tab
                """);
        brokenChart = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(brokenChart.resolve("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
        Files.createDirectories(brokenChart.resolve("templates"));
        Files.writeString(brokenChart.resolve("templates/bad.yaml"), "kind: ConfigMap\nname: {{ .Values.x \n");
        silent = SilentApiServer.start();
    }

    @AfterAll
    void stopServer() {
        silent.close();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(ChildProcessHelmCalls::close);
        opened.clear();
    }

    private Path work;

    private ChildProcessHelmCalls calls(List<String> command, int max) {
        work = tmp.resolve("work-" + opened.size() + "-" + System.nanoTime());
        ChildProcessHelmCalls c = new ChildProcessHelmCalls(work, command, max);
        opened.add(c);
        return c;
    }

    private ChildProcessHelmCalls calls() {
        return calls(ChildProcessHelmCalls.defaultCommand(), 4);
    }

    private HelmCall template(String name) {
        return HelmCall.of(HelmCall.Kind.TEMPLATE, name, "ns").chart(chart.toString(), null).kubeVersion("v1.35.0").build();
    }

    private HelmCall hangingInstall() throws IOException {
        return HelmCall.of(HelmCall.Kind.INSTALL, "hang", "default").chart(chart.toString(), null)
                .kube(KubeAccess.ofFile(silent.kubeConfigPath())).timeoutSeconds(300).build();
    }

    private static List<String> commandWithMain(String mainClass, String... args) {
        List<String> c = new ArrayList<>(ChildProcessHelmCalls.defaultCommand());
        c.set(c.size() - 1, mainClass);
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void theMainClassConstantNamesTheServer() {
        assertEquals(HelmCallServer.class.getName(), HelmSdk.ISOLATED_HELM_MAIN_CLASS);
        assertEquals(HelmCallServer.class.getName(), HelmSdk.defaultIsolatedHelmCommand().get(HelmSdk.defaultIsolatedHelmCommand().size() - 1));
    }

    @Test
    void templateGivesTheSameManifestAsInProcess() {
        String expected;
        try (InProcessHelmCalls inProcess = new InProcessHelmCalls()) {
            expected = inProcess.execute(template("same")).output();
        }
        ChildProcessHelmCalls isolated = calls();
        HelmCall.Result result = isolated.execute(template("same"));
        assertEquals(expected, result.output());
        assertTrue(result.output().contains("héllo ✓ 世界") && result.output().contains("name: same-cm"), result.output());
        assertEquals(expected, isolated.execute(template("same")).output(), "a second call, in the same process");
        assertEquals(1, isolated.startedCount(), "the idle process was reused");
    }

    @Test
    void lintFindingsComeBack() {
        HelmCall lint = HelmCall.of(HelmCall.Kind.LINT, "", "").chart(brokenChart.toString(), null).build();
        HelmCall.Result expected;
        try (InProcessHelmCalls inProcess = new InProcessHelmCalls()) {
            expected = inProcess.execute(lint);
        }
        HelmCall.Result result = calls().execute(lint);
        assertTrue(result.lintFailed());
        assertEquals(expected, result);
    }

    @Test
    void helmErrorsComeBackAsIllegalStateExceptionWithHelmsText() {
        HelmCall bad = HelmCall.of(HelmCall.Kind.TEMPLATE, "bad", "ns").chart(brokenChart.toString(), null).build();
        String expected;
        try (InProcessHelmCalls inProcess = new InProcessHelmCalls()) {
            expected = assertThrows(IllegalStateException.class, () -> inProcess.execute(bad)).getMessage();
        }
        ChildProcessHelmCalls isolated = calls();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> isolated.execute(bad));
        assertEquals(IllegalStateException.class, e.getClass());
        assertEquals(expected, e.getMessage());
        assertTrue(e.getMessage().contains("parse error"), e.getMessage());
        assertEquals(1, isolated.execute(template("after")).output().lines().filter(l -> l.contains("after-cm")).count(),
                "the process is still usable after a Helm error");
        assertEquals(1, isolated.startedCount());
    }

    @Test
    void strayOutputOnTheChildsStdoutIsIgnored() {
        String expected;
        try (InProcessHelmCalls inProcess = new InProcessHelmCalls()) {
            expected = inProcess.execute(template("noisy")).output();
        }
        ChildProcessHelmCalls noisy = calls(commandWithMain(NoisyHelmCallServer.class.getName()), 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, noisy.execute(template("noisy")).output());
        }
        assertEquals(1, noisy.startedCount());
    }

    @Test
    void whatTheChildSaysDuringACallIsLoggedAtDebugMaskedWithTheCallersMdc() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.helmsdk.helm.isolated");
        ch.qos.logback.classic.Level level = log.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ChildProcessHelmCalls noisy = calls(commandWithMain(NoisyHelmCallServer.class.getName()), 1);
        try {
            org.slf4j.MDC.put("helm.operation_id", "op-42");
            // "before a" stands for a resolved secret the child's output quotes.
            noisy.execute(template("noisy"), dev.helmsdk.core.internal.secrets.Redactor.of(List.of("before a")));
        } finally {
            org.slf4j.MDC.clear();
            log.detachAppender(lines);
            log.setLevel(level);
        }
        List<ch.qos.logback.classic.spi.ILoggingEvent> said = lines.list.stream()
                .filter(e -> e.getFormattedMessage().contains("noise <redacted> reply")).toList();
        assertFalse(said.isEmpty(), "the child's stray output, masked: " + lines.list.stream()
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
        for (ch.qos.logback.classic.spi.ILoggingEvent e : said) {
            assertEquals(ch.qos.logback.classic.Level.DEBUG, e.getLevel());
            assertEquals("op-42", e.getMDCPropertyMap().get("helm.operation_id"), "with the MDC of the call's operation");
        }
        assertTrue(lines.list.stream().noneMatch(e -> e.getFormattedMessage().contains("before a")), "never unmasked");
    }

    @Test
    void strayBytesInsideAReplyAreDetectedNotParsed() {
        ChildProcessHelmCalls garbling = calls(commandWithMain(NoisyHelmCallServer.class.getName(), "interleave"), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> garbling.execute(template("garbled")));
        assertTrue(e.getMessage().contains("broke the protocol") && e.getMessage().contains("other output was mixed into it"),
                e.getMessage());
        await(2_000, () -> garbling.pids().isEmpty(), "the garbling process was stopped");
    }

    @Test
    void abandonKillsTheProcessOfThatCallAtOnceAndTheNextCallGetsAFreshOne() throws Exception {
        ChildProcessHelmCalls isolated = calls();
        long firstPid = runAndGetPid(isolated);
        int connectionsBefore = silent.connections();
        AtomicReference<Thread> worker = new AtomicReference<>();
        HelmCall hang = hangingInstall();
        CompletableFuture<HelmCall.Result> stuck = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            return isolated.execute(hang);
        });
        awaitConnection(connectionsBefore, stuck);
        Thread.sleep(300); // a window in which nothing may happen: the call must still hang
        assertFalse(stuck.isDone(), "the call hangs");

        long start = System.nanoTime();
        isolated.abandon(worker.get());
        ExecutionException e = assertThrows(ExecutionException.class, () -> stuck.get(1, TimeUnit.SECONDS));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1_000, "the abandoned call ended after " + tookMs + " ms");
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().contains("abandoned at its time limit"), cause.getMessage());
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "its process is gone");
        await(2_000, () -> childDirs().isEmpty(), "the killed process's copy of the native library is removed");

        long secondPid = runAndGetPid(isolated);
        assertNotEquals(firstPid, secondPid, "the next call runs in a fresh process");
        assertEquals(2, isolated.startedCount());
    }

    private long runAndGetPid(ChildProcessHelmCalls isolated) {
        assertTrue(isolated.execute(template("probe")).output().contains("probe-cm"));
        assertEquals(1, isolated.pids().size());
        return isolated.pids().get(0);
    }

    @Test
    void callsOnDifferentThreadsRunInDifferentProcessesAndAbandonStopsOnlyOne() throws Exception {
        ChildProcessHelmCalls isolated = calls();
        HelmCall hang = hangingInstall();
        AtomicReference<Thread> w1 = new AtomicReference<>();
        AtomicReference<Thread> w2 = new AtomicReference<>();
        int before = silent.connections();
        CompletableFuture<HelmCall.Result> one = CompletableFuture.supplyAsync(() -> {
            w1.set(Thread.currentThread());
            return isolated.execute(hang);
        });
        CompletableFuture<HelmCall.Result> two = CompletableFuture.supplyAsync(() -> {
            w2.set(Thread.currentThread());
            return isolated.execute(hang);
        });
        await(30_000, () -> silent.connections() >= before + 2 && isolated.pids().size() == 2, "both calls reached the server");
        assertEquals(2, Set.copyOf(isolated.pids()).size());
        isolated.abandon(w1.get());
        assertThrows(ExecutionException.class, () -> one.get(1, TimeUnit.SECONDS));
        Thread.sleep(500); // a window in which nothing may happen: the other call must go on
        assertFalse(two.isDone(), "the other call goes on");
        assertEquals(1, isolated.pids().size());
        assertTrue(isolated.execute(template("meanwhile")).output().contains("meanwhile-cm"), "a third call gets a process");
        isolated.abandon(w2.get());
        assertThrows(ExecutionException.class, () -> two.get(1, TimeUnit.SECONDS));
    }

    @Test
    void extraCallsWaitForAFreeProcess() throws Exception {
        ChildProcessHelmCalls one = calls(ChildProcessHelmCalls.defaultCommand(), 1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        int before = silent.connections();
        HelmCall hang = hangingInstall();
        CompletableFuture<HelmCall.Result> stuck = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            return one.execute(hang);
        });
        awaitConnection(before, stuck);
        CompletableFuture<HelmCall.Result> waiting = CompletableFuture.supplyAsync(() -> one.execute(template("queued")));
        Thread.sleep(1_000); // a window in which nothing may happen: the second call must keep waiting
        assertFalse(waiting.isDone(), "the second call waits: the only process is busy");
        one.abandon(worker.get());
        assertTrue(waiting.get(20, TimeUnit.SECONDS).output().contains("queued-cm"));
        assertTrue(stuck.isCompletedExceptionally());
    }

    @Test
    void interruptingTheWorkerStopsItsProcess() throws Exception {
        ChildProcessHelmCalls isolated = calls();
        AtomicReference<Thread> worker = new AtomicReference<>();
        int before = silent.connections();
        HelmCall hang = hangingInstall();
        CompletableFuture<HelmCall.Result> stuck = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            return isolated.execute(hang);
        });
        awaitConnection(before, stuck);
        long pid = isolated.pids().get(0);
        worker.get().interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> stuck.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("interrupted"), e.getCause().getMessage());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void closeLeavesNoProcessAndNoFiles() throws Exception {
        Set<ProcessHandle> before = descendants();
        ChildProcessHelmCalls isolated = calls();
        List<CompletableFuture<String>> parallel = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "p" + i;
            parallel.add(CompletableFuture.supplyAsync(() -> isolated.execute(template(name)).output()));
        }
        for (CompletableFuture<String> f : parallel) {
            assertTrue(f.get(60, TimeUnit.SECONDS).contains("-cm"));
        }
        List<Long> pids = isolated.pids();
        assertFalse(pids.isEmpty());
        assertFalse(newProcesses(before).isEmpty());
        isolated.close();
        assertEquals(Set.of(), newProcesses(before), "no isolated Helm process is left");
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        assertEquals(List.of(), childDirs(), "the processes' temporary directories are removed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> isolated.execute(template("late")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static Set<ProcessHandle> descendants() {
        return Set.copyOf(ProcessHandle.current().descendants().toList());
    }

    /** Descendants of this JVM that were not there before (the command line cannot tell: it is cut at 4096 characters). */
    private static Set<ProcessHandle> newProcesses(Set<ProcessHandle> before) {
        return ProcessHandle.current().descendants().filter(p -> !before.contains(p) && p.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void theChildDiesWithItsParentEvenInTheMiddleOfACall() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParentThatDies.class.getName(),
                tmp.resolve("dying-parent").toString(), chart.toString(), silent.kubeConfigPath().toString()));
        Process parent = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long childPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("CHILD "), "the parent started a child: " + line);
            childPid = Long.parseLong(line.substring("CHILD ".length()));
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            assertTrue(child.isAlive());
            parent.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            parent.waitFor(10, TimeUnit.SECONDS);
            assertTrue(child.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).get() != null || !child.isAlive(),
                    "the child exited when its parent died");
            assertFalse(child.isAlive());
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aCommandThatCannotStartTheServerFailsWithItsOutput() {
        ChildProcessHelmCalls broken = calls(commandWithMain("no.such.MainClass"), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.execute(template("x")));
        assertTrue(e.getMessage().contains("before it was ready") && e.getMessage().contains("no.such.MainClass"), e.getMessage());
    }

    @Test
    void cacheLocationsGoUnderTheWorkDirectoryUnlessTheParentSetsThem() {
        Path base = Path.of("/w/isolated-helm");
        Map<String, String> env = ChildProcessHelmCalls.environment(Map.of("HOME", "/home/u"), base);
        assertEquals("/w/isolated-helm/kube-cache", env.get("KUBECACHEDIR"));
        assertEquals("/w/isolated-helm/helm/cache", env.get("HELM_CACHE_HOME"));
        assertEquals("/w/isolated-helm/helm/config", env.get("HELM_CONFIG_HOME"));
        assertEquals("/w/isolated-helm/helm/data", env.get("HELM_DATA_HOME"));
        Map<String, String> kept = ChildProcessHelmCalls.environment(Map.of("HELM_CONFIG_HOME", "/etc/helm", "KUBECACHEDIR", " "), base);
        assertFalse(kept.containsKey("HELM_CONFIG_HOME"), "a location the application set is inherited as it is");
        assertEquals("/w/isolated-helm/kube-cache", kept.get("KUBECACHEDIR"), "a blank one is replaced");
    }

    @Test
    void theChildsTemporaryFilesAreItsOwn() {
        ChildProcessHelmCalls isolated = calls();
        isolated.execute(template("tmp"));
        assertEquals(1, childDirs().size());
        try (Stream<Path> files = Files.walk(childDirs().get(0))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("helm-")
                            && p.getFileName().toString().matches(".*\\.(so|dylib|dll)$")),
                    "helm-java unpacked its library into the child's own temporary directory");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> childDirs() {
        try (Stream<Path> dirs = Files.list(work.resolve("isolated-helm/tmp"))) {
            return dirs.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the hanging call reached the silent server, failing at once if it ended instead. */
    private void awaitConnection(int before, CompletableFuture<?> call) {
        await(30_000, () -> silent.connections() > before || call.isDone(), "the call reached the silent API server");
        if (call.isDone()) {
            throw new AssertionError("the call ended instead of hanging: " + call.handle((r, e) -> e == null ? r : e).join());
        }
    }

    static void await(long millis, BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofMillis(millis)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
