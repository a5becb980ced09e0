package dev.helmsdk.it.isolated;

import dev.helmsdk.testkit.SilentApiServer;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4, "operations that really stop": against an API server that accepts connections and never
 * answers, a timed-out isolated install returns at its limit and makes no request afterwards, as
 * the server's request log shows; the same install in process returns at its limit too, but its
 * native call goes on.
 */
@Tag("integration")
class IsolatedCallsReallyStopTest {

    private static final Duration START = Duration.ofSeconds(2);
    /** How long after the timeout the request log must have gone quiet. */
    private static final Duration SETTLE = Duration.ofMillis(500);
    /** How long the log is then watched to show it stays quiet. */
    private static final Duration WATCH = Duration.ofSeconds(3);

    static ChartRef web() {
        try {
            return ChartRef.local(Path.of(IsolatedCallsReallyStopTest.class.getResource("/charts/sdk-web/Chart.yaml").toURI()).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HelmSdk.Builder builder(Path kubeconfig) {
        // Cluster locks would send the first request (for the release's Lease) from this JVM, before Helm runs:
        // off here so that the log shows Helm's own requests alone. The same bound with the default (locks on)
        // is SilentServerBoundsTest's clusterLocks=true cases and its held-Lease cases.
        return HelmSdk.builder().kubeConfig(kubeconfig).timeouts(Timeouts.ofDefaults().withStart(START)).clusterLocks(false);
    }

    @Test
    void anIsolatedInstallIsStoppedAtItsLimitAndSendsNothingAfterwards() throws Exception {
        Set<ProcessHandle> before = descendants();
        try (SilentApiServer server = SilentApiServer.start();
             HelmManager helm = builder(server.kubeConfigPath()).helmProcess(HelmSdk.HelmProcess.ISOLATED).build()) {
            // A template contacts no cluster; it starts the child, so the install reaches the server well within its limit.
            RenderedManifest warm = helm.template("warm").chart(web()).timeouts(Timeouts.ofDefaults()).run(); // a child JVM may take over 2 s to start on a busy machine
            assertTrue(warm.find("Deployment", "warm").isPresent());
            assertEquals(List.of(), server.log(), "a template sends nothing to the cluster");
            assertEquals(1, newProcesses(before).size(), "one isolated Helm process runs");

            long start = System.nanoTime();
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> helm.install("web").chart(web()).run());
            Instant timedOut = Instant.now();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            Duration limit = e.timeout();
            assertTrue(limit.compareTo(START) >= 0, "the limit is at least the start limit: " + limit);
            assertTrue(tookMs >= limit.toMillis() - 50 && tookMs < limit.toMillis() + 1_000,
                    "returned after " + tookMs + " ms for a limit of " + limit);
            assertEquals(Set.of(), newProcesses(before), "the process that ran the install is gone when the caller gets the timeout");

            List<SilentApiServer.Event> sent = server.log();
            assertTrue(sent.stream().anyMatch(ev -> ev.kind() == SilentApiServer.Kind.BYTES),
                    "the install reached the API server before its limit: " + sent);

            Thread.sleep(SETTLE.plus(WATCH).toMillis()); // watches the silent server: nothing may reach it
            List<SilentApiServer.Event> log = server.log();
            Instant quietFrom = timedOut.plus(SETTLE);
            List<SilentApiServer.Event> late = log.stream()
                    .filter(ev -> ev.kind() != SilentApiServer.Kind.CLIENT_CLOSED && ev.time().isAfter(quietFrom)).toList();
            assertEquals(List.of(), late, "no connection and no byte after the timeout + " + SETTLE + "; full log:\n" + join(log));
            Set<Integer> opened = connections(log, SilentApiServer.Kind.CONNECTED);
            Set<Integer> closed = log.stream().filter(ev -> ev.kind() == SilentApiServer.Kind.CLIENT_CLOSED && !ev.time().isAfter(quietFrom))
                    .map(SilentApiServer.Event::connection).collect(Collectors.toSet());
            assertEquals(opened, closed, "every connection of the killed call was closed by the client right away; log:\n" + join(log));
            System.out.printf("isolated: timeout after %d ms (limit %s); request log:%n%s%n", tookMs, limit, join(log));

            // A fresh child JVM starts for it: the default start limit, as for "warm" above.
            assertTrue(helm.template("after").chart(web()).timeouts(Timeouts.ofDefaults()).run().find("Deployment", "after").isPresent(),
                    "the manager goes on, with a fresh process");
        }
        assertEquals(Set.of(), newProcesses(before), "closing the manager leaves no process");
    }

    @Test
    void anInProcessInstallReturnsAtItsLimitButItsCallGoesOn() throws Exception {
        try (SilentApiServer server = SilentApiServer.start()) {
            try (HelmManager helm = builder(server.kubeConfigPath()).helmProcess(HelmSdk.HelmProcess.IN_PROCESS).build()) {
                long start = System.nanoTime();
                OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> helm.install("web").chart(web()).run());
                Instant timedOut = Instant.now();
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMs < e.timeout().toMillis() + 1_000, "the caller still gets its answer in time: " + tookMs + " ms");

                Thread.sleep(SETTLE.plus(WATCH).toMillis()); // watches the silent server: the connection must stay open
                List<SilentApiServer.Event> log = server.log();
                Set<Integer> opened = connections(log, SilentApiServer.Kind.CONNECTED);
                assertFalse(opened.isEmpty(), "the install reached the API server");
                assertEquals(Set.of(), connections(log, SilentApiServer.Kind.CLIENT_CLOSED),
                        "but the abandoned native call still holds its connection open " + SETTLE.plus(WATCH)
                                + " after the timeout, waiting for an answer it would act on; log:\n" + join(log));
                System.out.printf("in process: timeout after %d ms at %s; request log %s later:%n%s%n", tookMs, timedOut, SETTLE.plus(WATCH), join(log));
            }
        } // closing the server's sockets lets the abandoned native call end
    }

    private static Set<Integer> connections(List<SilentApiServer.Event> log, SilentApiServer.Kind kind) {
        return log.stream().filter(ev -> ev.kind() == kind).map(SilentApiServer.Event::connection).collect(Collectors.toSet());
    }

    private static String join(List<SilentApiServer.Event> log) {
        return log.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }

    static Set<ProcessHandle> descendants() {
        return Set.copyOf(ProcessHandle.current().descendants().toList());
    }

    /** Live descendants of this JVM that were not there before (a child JVM's command line is cut at 4096 characters, so it cannot tell). */
    static Set<ProcessHandle> newProcesses(Set<ProcessHandle> before) {
        return ProcessHandle.current().descendants().filter(p -> !before.contains(p) && p.isAlive()).collect(Collectors.toSet());
    }
}
