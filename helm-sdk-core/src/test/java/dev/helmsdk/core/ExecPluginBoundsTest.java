package dev.helmsdk.core;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Timeouts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kubeconfig's {@code exec} credential plugin is bounded like everything else an operation waits on. fabric8 would run
 * it while loading the kubeconfig and wait for it without limit; the SDK runs it instead: when the manager is built,
 * within the start limit, and when its token expires, within the operation's remaining time. A plugin that hangs is
 * stopped with its children at the limit and the caller gets an {@link OperationTimeoutException} naming it; a plugin
 * that fails is a {@link ClusterCredentialException} naming its command and never its output, not a
 * {@link KubernetesApiException} without a status. No API server is needed: nothing is sent without a credential (the
 * kubeconfig points at a port nobody listens on).
 */
@Tag("integration")
class ExecPluginBoundsTest {

    private static final Duration START = Duration.ofSeconds(2);
    /** Time allowed past the limit: killing the plugin's children and its reaping. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    /** A test that hangs instead of failing is stopped here. */
    private static final Duration HUNG = Duration.ofSeconds(20);

    enum Source { KUBECONFIG_FILE, KUBECONFIG_CONTENTS }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Source.class)
    void aPluginThatHangsWhileTheManagerIsBuiltIsStoppedAtTheStartLimit(Source source) throws Exception {
        mode("hang");
        long start = System.nanoTime();
        OperationTimeoutException e = assertTimeoutPreemptively(HUNG,
                () -> assertThrows(OperationTimeoutException.class, () -> builder(source).build()));
        assertWithinLimit(start, e, START);
        assertEquals(Operation.CONFIGURE, e.operation());
        assertTrue(e.getMessage().contains("exec plugin " + plugin()), e.getMessage());
        assertTrue(e.retryable());
        assertPluginGone();
    }

    @Test
    void aRenewalThatHangsEndsAReadAtItsLimitNamingThePlugin() throws Exception {
        try (HelmManager helm = managerWhoseTokenExpired("hang")) {
            long start = System.nanoTime();
            OperationTimeoutException e = assertTimeoutPreemptively(HUNG, () -> assertThrows(OperationTimeoutException.class,
                    () -> helm.status("web").inNamespace("default").run()));
            assertWithinLimit(start, e, START);
            assertTrue(e.getMessage().contains("(it was running the kubeconfig's exec plugin " + plugin() + ")"), e.getMessage());
            assertPluginGone();
        }
    }

    @Test
    void aRenewalThatHangsEndsAChangeAtItsLimitNamingThePlugin() throws Exception {
        Path chart = Files.createDirectories(dir.resolve("chart/templates"));
        Files.writeString(chart.resolveSibling("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n");
        try (HelmManager helm = managerWhoseTokenExpired("hang")) {
            long start = System.nanoTime();
            OperationTimeoutException e = assertTimeoutPreemptively(HUNG, () -> assertThrows(OperationTimeoutException.class,
                    () -> helm.install("web").chart(ChartRef.local(chart.getParent())).run()));
            assertWithinLimit(start, e, START.multipliedBy(2));   // a change may wait its start limit for the lock, on top
            // The plugin runs for the first request, the release's Lease (cluster locks are on by default).
            assertTrue(e.getMessage().contains("(it was running the kubeconfig's exec plugin " + plugin() + ")"), e.getMessage());
            assertPluginGone();
        }
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void aPluginThatFailsWhileTheManagerIsBuiltIsATypedErrorNamingItsCommandNotItsOutput(Source source) throws Exception {
        mode("fail");
        ClusterCredentialException e = assertThrows(ClusterCredentialException.class, () -> builder(source).build());
        assertEquals(Operation.CONFIGURE, e.operation());
        assertCredentialFailure(e);
    }

    @Test
    void aRenewalThatFailsIsATypedErrorNotAnApiErrorWithoutStatus() throws Exception {
        try (HelmManager helm = managerWhoseTokenExpired("fail")) {
            HelmSdkException e = assertThrows(HelmSdkException.class, () -> helm.status("web").inNamespace("default").run());
            ClusterCredentialException typed = assertInstanceOf(ClusterCredentialException.class, e, e.toString());
            assertEquals(1, Files.readAllLines(dir.resolve("failed-runs")).size(), "the failing plugin ran once for the read");
            assertEquals(Operation.STATUS, typed.operation());
            assertCredentialFailure(typed);
        }
    }

    private void assertCredentialFailure(ClusterCredentialException e) throws IOException {
        assertEquals(plugin().toString(), e.command());
        assertEquals(ClusterCredentialException.Reason.FAILED, e.reason());
        assertFalse(e.retryable(), "the same plugin fails the same way until it is fixed");
        assertTrue(e.getMessage().contains(plugin().toString()) && e.getMessage().contains("code 3"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-"), "the plugin's output stays out of the message: " + e.getMessage());
    }

    /** A manager built while the plugin worked, whose 2-second token has expired; the plugin now does {@code mode}. */
    private HelmManager managerWhoseTokenExpired(String mode) throws Exception {
        mode("ok");
        HelmManager helm = builder(Source.KUBECONFIG_FILE).build();
        mode(mode);
        Thread.sleep(2100);
        return helm;
    }

    private static void assertWithinLimit(long startNanos, OperationTimeoutException e, Duration limit) {
        long tookMs = (System.nanoTime() - startNanos) / 1_000_000;
        assertEquals(limit, e.timeout());
        assertTrue(tookMs >= limit.toMillis() - 100 && tookMs < limit.plus(SLACK).toMillis(),
                "returned after " + tookMs + " ms for a limit of " + limit + ": " + e.getMessage());
    }

    /** The plugin and the child it started are gone, killed, not left to run. */
    private void assertPluginGone() throws IOException {
        for (String f : new String[]{"pid", "child"}) {
            long pid = Long.parseLong(Files.readString(dir.resolve(f)).trim());
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(2, TimeUnit.SECONDS).exceptionally(t -> h).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), f + " " + pid + " is still alive");
        }
    }

    private HelmSdk.Builder builder(Source source) throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeConfig());
        HelmSdk.Builder b = HelmSdk.builder().timeouts(Timeouts.ofDefaults().withStart(START)).workDirectory(dir.resolve("work"));
        return source == Source.KUBECONFIG_FILE ? b.kubeConfig(kubeconfig) : b.kubeConfigContents(Files.readString(kubeconfig));
    }

    private String kubeConfig() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // nobody listens there afterwards: nothing may be sent anyway
        }
        Path script = plugin();
        Files.writeString(script, """
                #!/bin/sh
                d="$(dirname "$0")"
                case "$(cat "$d/mode")" in
                  hang)
                    echo $$ > "$d/pid"
                    sleep 60 &
                    echo $! > "$d/child"
                    wait ;;
                  fail)
                    echo run >> "$d/failed-runs"
                    echo '{"status":{"token":"secret-in-stdout"}}'
                    echo 'secret-in-stderr' >&2
                    exit 3 ;;
                  *)
                    exp=$(date -u -d "@$(( $(date +%s) + 2 ))" +%Y-%m-%dT%H:%M:%SZ)
                    printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t-%s","expirationTimestamp":"%s"}}\\n' "$$" "$exp" ;;
                esac
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                users:
                - name: u
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1, command: %s, interactiveMode: Never}
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(port, script);
    }

    private Path plugin() {
        return dir.resolve("get-token.sh");
    }

    private void mode(String mode) throws IOException {
        Files.writeString(dir.resolve("mode"), mode);
    }
}
