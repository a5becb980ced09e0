package dev.helmsdk.it.isolated;

import dev.helmsdk.testkit.SilentApiServer;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.HelmSdk.HelmProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, "bounded time means bounded, locks included": against an API server that accepts connections and never
 * answers, a change returns {@link OperationTimeoutException} within its limit + 2 s, and neither this JVM's requests
 * (fabric8: the Lease, release records) nor an isolated Helm process send anything once the caller has its answer:
 * with cluster locks on (the default) and off, Helm in process and isolated, over HTTP and over HTTPS. The HTTPS
 * server completes the TLS handshake (the kubeconfig carries the testkit CA) and then never answers, so the log holds
 * the decrypted requests.
 *
 * <p>What "sends nothing afterwards" means here: no connection and no byte reaches the server after the caller got its
 * timeout ({@link #SLACK} allowed for the server's clock and threads), watched for {@link #WATCH}; and every connection
 * of this JVM's fabric8 client was closed by the client by then, so no request of it is left to time out and be
 * retried later. An in-process native Helm call cannot be stopped: its connections stay open (waiting for an answer),
 * which {@link IsolatedCallsReallyStopTest} shows; blocked on its first answer, it sends nothing new either.
 */
@Tag("integration")
class SilentServerBoundsTest {

    private static final Duration START = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Duration SLACK = Duration.ofMillis(200);
    private static final Duration WATCH = Duration.ofSeconds(3);
    /**
     * fabric8's per-request timeout, which the SDK sets to the time left, counts from when the request is written: a
     * request on a connection still being set up (TCP, TLS handshake) is cut off that much after the deadline.
     */
    private static final Duration CUT_OFF = Duration.ofSeconds(1);

    static Stream<Arguments> combinations() {
        return Stream.of(true, false).flatMap(locks -> Stream.of(HelmProcess.IN_PROCESS, HelmProcess.ISOLATED)
                .flatMap(process -> Stream.of(false, true).map(tls -> Arguments.of(locks, process, tls))));
    }

    @ParameterizedTest(name = "clusterLocks={0} {1} https={2}")
    @MethodSource("combinations")
    void aChangeAgainstASilentServerTimesOutInTimeAndThenSendsNothing(boolean locks, HelmProcess process, boolean tls) throws Exception {
        try (SilentApiServer server = SilentApiServer.builder().tls(tls).start();
             HelmManager helm = HelmSdk.builder().kubeConfig(server.kubeConfigPath()).timeouts(Timeouts.ofDefaults().withStart(START))
                     .clusterLocks(locks).helmProcess(process).build()) {
            warmUp(helm);
            Outcome o = timedOutInstall(helm, server);
            if (locks) {
                assertTrue(o.before().stream().anyMatch(ev -> ev.text().contains("/leases")),
                        "with cluster locks the first request is for the release's Lease:\n" + join(o.before()));
            } else {
                assertFalse(o.before().stream().anyMatch(ev -> ev.text().contains("/leases")), join(o.before()));
            }
            assertNothingAfterwards(server, o);
            if (process == HelmProcess.ISOLATED) {
                assertEquals(connections(o.log(), SilentApiServer.Kind.CONNECTED), closedBy(o.log(), o.quietFrom()),
                        "every connection, Helm's too (its process was killed), was closed by the client; log:\n" + join(o.log()));
            }
            System.out.printf("clusterLocks=%s %s https=%s: OperationTimeoutException after %d ms (limit %s), %d connections%n",
                    locks, process, tls, o.tookMs(), o.limit(), connections(o.log(), SilentApiServer.Kind.CONNECTED).size());
        }
    }

    /**
     * The release's Lease is granted, then the server falls silent: the caller still gets its answer within the bound.
     * Isolated, the killed call lets the operation give its Lease back within the deadline's cleanup window (a DELETE
     * that the server leaves unanswered, which does not keep the caller); in process the Helm call cannot be stopped,
     * and the Lease is left to expire. Either way nothing is sent once the caller has its answer.
     */
    @ParameterizedTest
    @EnumSource(HelmProcess.class)
    void aHeldLeaseDoesNotKeepTheCallerPastTheBound(HelmProcess process) throws Exception {
        try (SilentApiServer server = SilentApiServer.builder().answeringLeaseCreates(true).start();
             HelmManager helm = HelmSdk.builder().kubeConfig(server.kubeConfigPath()).timeouts(Timeouts.ofDefaults().withStart(START))
                     .helmProcess(process).build()) {
            warmUp(helm);
            Outcome o = timedOutInstall(helm, server);
            assertTrue(o.log().stream().anyMatch(ev -> ev.kind() == SilentApiServer.Kind.ANSWERED), "the Lease was granted:\n" + join(o.log()));
            boolean deleted = o.before().stream().anyMatch(ev -> ev.text().startsWith("DELETE ") && ev.text().contains("/leases/helm-sdk.web"));
            if (process == HelmProcess.ISOLATED) {
                assertTrue(deleted, "the Lease was given back before the caller got the timeout:\n" + join(o.log()));
            } else {
                assertFalse(deleted, "in process the Helm call still runs: the Lease stays, to expire:\n" + join(o.log()));
            }
            assertNothingAfterwards(server, o);
            System.out.printf("Lease granted, %s: OperationTimeoutException after %d ms (limit %s), Lease %s%n",
                    process, o.tookMs(), o.limit(), deleted ? "given back" : "left to expire");
        }
    }

    /**
     * Loads Helm (the native library; in a child when isolated) with a template, which sends nothing to the cluster, so
     * that the install's Helm call reaches the server well within its limit. In process, a native call that is still
     * loading the library at the deadline cannot be stopped and sends its first request late.
     */
    private static void warmUp(HelmManager helm) {
        helm.template("warm").chart(IsolatedCallsReallyStopTest.web()).timeouts(Timeouts.ofDefaults()).run();
    }

    private record Outcome(long tookMs, Duration limit, Instant quietFrom, List<SilentApiServer.Event> before, List<SilentApiServer.Event> log) {
    }

    /** Runs an install that must time out in time, then watches the server for {@link #WATCH}. */
    private static Outcome timedOutInstall(HelmManager helm, SilentApiServer server) throws InterruptedException {
        long start = System.nanoTime();
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
                () -> helm.install("web").chart(IsolatedCallsReallyStopTest.web()).run());
        Instant timedOut = Instant.now();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Duration limit = e.timeout();
        assertTrue(tookMs >= limit.toMillis() - 50 && tookMs < limit.plus(BOUND).toMillis(),
                "returned after " + tookMs + " ms for a limit of " + limit + ": " + e.getMessage());
        List<SilentApiServer.Event> before = server.log();
        assertTrue(before.stream().anyMatch(ev -> ev.kind() == SilentApiServer.Kind.BYTES), "the install reached the server: " + before);
        Thread.sleep(SLACK.plus(WATCH).toMillis()); // watches the silent server: nothing may reach it
        System.out.printf("timed out after %d ms at %s; log:%n%s%n", tookMs, timedOut, join(server.log()));
        return new Outcome(tookMs, limit, timedOut.plus(SLACK), before, server.log());
    }

    private static void assertNothingAfterwards(SilentApiServer server, Outcome o) {
        List<SilentApiServer.Event> late = o.log().stream().filter(ev -> ev.time().isAfter(o.quietFrom())
                && (ev.kind() == SilentApiServer.Kind.CONNECTED || ev.kind() == SilentApiServer.Kind.BYTES)).toList();
        assertEquals(List.of(), late, "no connection and no byte after the caller got its timeout (+" + SLACK + "); log:\n" + join(o.log()));
        Set<Integer> waiting = waitingForAnAnswer(o.before(), "fabric8-kubernetes-client");
        assertTrue(closedBy(o.log(), o.quietFrom().plus(CUT_OFF)).containsAll(waiting), "this JVM's unanswered requests (connections "
                + waiting + ") were cut off, their connections closed, within " + CUT_OFF + " of the timeout after "
                + o.tookMs() + " ms; log:\n" + join(o.log()));
    }

    /** Connections whose last request, sent by a client naming itself {@code agent}, got no answer. */
    private static Set<Integer> waitingForAnAnswer(List<SilentApiServer.Event> log, String agent) {
        java.util.Map<Integer, Boolean> waiting = new java.util.HashMap<>();
        for (SilentApiServer.Event ev : log) {
            if (ev.kind() == SilentApiServer.Kind.BYTES && ev.text().contains("User-Agent: " + agent)) {
                waiting.put(ev.connection(), true);
            } else if (ev.kind() == SilentApiServer.Kind.ANSWERED) {
                waiting.put(ev.connection(), false);
            }
        }
        return waiting.entrySet().stream().filter(java.util.Map.Entry::getValue).map(java.util.Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static Set<Integer> connections(List<SilentApiServer.Event> log, SilentApiServer.Kind kind) {
        return log.stream().filter(ev -> ev.kind() == kind).map(SilentApiServer.Event::connection).collect(Collectors.toSet());
    }

    private static Set<Integer> closedBy(List<SilentApiServer.Event> log, Instant by) {
        return log.stream().filter(ev -> ev.kind() == SilentApiServer.Kind.CLIENT_CLOSED && !ev.time().isAfter(by))
                .map(SilentApiServer.Event::connection).collect(Collectors.toSet());
    }

    private static String join(List<SilentApiServer.Event> log) {
        return log.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
}
