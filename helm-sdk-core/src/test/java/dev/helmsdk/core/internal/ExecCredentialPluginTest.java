package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.ClusterCredentialException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK's own run of a kubeconfig exec plugin, against shell-script plugins: its token is kept
 * while valid and renewed at expiry or after a 401, failures name the command and never its
 * output, and a plugin that hangs is killed within the bound.
 */
class ExecCredentialPluginTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "client.authentication.k8s.io/v1";

    @TempDir
    Path dir;

    @Test
    void aValidTokenIsReusedWithoutRunningThePluginAgain() throws IOException {
        credential("tok-1", Instant.now().plus(1, ChronoUnit.HOURS));
        ExecCredentialPlugin plugin = plugin(catCredential(), null);

        for (int i = 0; i < 5; i++) {
            assertEquals("tok-1", plugin.getToken());
        }
        assertEquals(1, runs());
        assertFalse(plugin.toString().contains("tok-1"), plugin.toString());
    }

    @Test
    void anExpiringTokenIsRenewedByRunningThePluginAgain() throws Exception {
        credential("tok-1", Instant.now().plusSeconds(2));
        ExecCredentialPlugin plugin = plugin(catCredential(), null);
        assertEquals("tok-1", plugin.getToken());
        credential("tok-2", Instant.now().plus(1, ChronoUnit.HOURS));
        assertEquals("tok-1", plugin.getToken(), "still valid: kept");
        assertEquals(1, runs());

        await().atMost(Duration.ofSeconds(10)).until(plugin::getToken, "tok-2"::equals);
        assertEquals(2, runs(), "renewed once, at expiry");
    }

    @Test
    void aTokenWithoutExpiryIsKeptUntilTheServerRefusesIt() throws IOException {
        credential("tok-1", null);
        ExecCredentialPlugin plugin = plugin(catCredential(), null);
        assertEquals("tok-1", plugin.getToken());
        credential("tok-2", null);
        assertEquals("tok-1", plugin.getToken());
        plugin.refused("some-older-token");
        assertEquals("tok-1", plugin.getToken(), "a refusal of another token changes nothing");

        plugin.refused("tok-1");
        assertEquals("tok-2", plugin.getToken());
        assertEquals(2, runs());
    }

    @Test
    void theStanzasArgumentsEnvironmentAndExecInfoReachThePlugin() throws IOException {
        Path script = script("""
                printf '%s' "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/info"
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-%s"}}' "$1" "$REGION"
                """);
        ObjectNode exec = stanza(script);
        exec.putArray("args").add("from-arg");
        exec.putArray("env").addObject().put("name", "REGION").put("value", "eu-1");
        exec.put("provideClusterInfo", true);
        ExecCredentialPlugin plugin = ExecCredentialPlugin.of(exec, Map.of("server", "https://k8s:6443"), Optional::empty);

        assertEquals("from-arg-eu-1", plugin.getToken());
        JsonNode info = JSON.readTree(Files.readString(dir.resolve("info")));
        assertEquals(V1, info.path("apiVersion").asText());
        assertEquals("ExecCredential", info.path("kind").asText());
        assertFalse(info.path("spec").path("interactive").asBoolean(true));
        assertEquals("https://k8s:6443", info.path("spec").path("cluster").path("server").asText());
    }

    @Test
    void aFailingPluginIsReportedByItsCommandNotItsOutput() throws IOException {
        Path script = script("""
                echo '{"status":{"token":"secret-in-stdout"}}'
                echo 'secret-in-stderr' >&2
                exit 3
                """);
        ExecCredentialPlugin plugin = plugin(script, null);

        KubernetesClientException e = assertThrows(KubernetesClientException.class, plugin::getToken);
        assertTrue(e.getMessage().contains(script.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("code 3"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aPluginAnsweringAnotherApiVersionOrNoTokenIsRefusedClearly() throws IOException {
        Path other = script("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, plugin(other, null)::getToken);
        assertTrue(e.getMessage().contains("v1beta1") && e.getMessage().contains(other.toString()), e.getMessage());

        Path cert = script("echo '{\"apiVersion\":\"" + V1 + "\",\"kind\":\"ExecCredential\",\"status\":{\"clientKeyData\":\"secret-key\"}}'");
        e = assertThrows(KubernetesClientException.class, plugin(cert, null)::getToken);
        assertTrue(e.getMessage().contains("no status.token"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aHangingPluginIsKilledWithItsChildrenWithinTheOperationsTime() throws Exception {
        Path script = script("""
                d="$(dirname "$0")"
                echo $$ > "$d/pid"
                sleep 60 &
                echo $! > "$d/child"
                wait
                """);
        Deadline deadline = Deadline.after(Duration.ofMillis(1500));
        ExecCredentialPlugin plugin = ExecCredentialPlugin.of(stanza(script), Map.of(), () -> Optional.of(deadline));

        long start = System.nanoTime();
        KubernetesClientException e = assertThrows(KubernetesClientException.class, plugin::getToken);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(millis < 3000, "returned after " + millis + " ms");
        assertTrue(e.getMessage().contains("did not finish") && e.getMessage().contains(script.toString()), e.getMessage());
        for (String f : new String[]{"pid", "child"}) {
            long pid = Long.parseLong(Files.readString(dir.resolve(f)).trim());
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), f + " " + pid + " still alive");
        }
    }

    @Test
    void withTheOperationsTimeGoneThePluginIsNotRun() throws IOException {
        credential("tok-1", null);
        Deadline passed = Deadline.after(Duration.ZERO);
        ExecCredentialPlugin plugin = ExecCredentialPlugin.of(stanza(catCredential()), Map.of(), () -> Optional.of(passed));

        assertThrows(DeadlinePassedException.class, plugin::getToken);
        assertEquals(0, runs());
    }

    /**
     * Run when the manager is built, a plugin may give a client certificate instead of a token (as fabric8 accepts):
     * it is handed over for the connection's TLS. Later, when a token is renewed, it cannot be, and says so.
     */
    @Test
    void aClientCertificateIsTakenAtTheFirstRunOnly() throws IOException {
        Files.writeString(dir.resolve("cred.json"), "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"ExecCredential\",\"status\":"
                + "{\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}}");
        ExecCredentialPlugin plugin = plugin(catCredential(), null);
        ExecCredentialPlugin.ClientCertificate cert = plugin.start(Deadline.after(Duration.ofSeconds(5))).orElseThrow();
        assertEquals("CERT", cert.certificateData());
        assertEquals("KEY", cert.keyData());
        assertFalse(cert.toString().contains("KEY"), cert.toString());

        ExecCredentialPlugin.Failure e = assertThrows(ExecCredentialPlugin.Failure.class, plugin::getToken);
        assertTrue(e.getMessage().contains("client certificate"), e.getMessage());
        assertEquals(ClusterCredentialException.Reason.NO_CREDENTIAL, e.reason());
    }

    @Test
    void aTokenFromTheFirstRunIsKeptForTheRequestsToCome() throws IOException {
        credential("tok-1", Instant.now().plus(1, ChronoUnit.HOURS));
        ExecCredentialPlugin plugin = plugin(catCredential(), null);
        assertTrue(plugin.start(Deadline.after(Duration.ofSeconds(5))).isEmpty());
        assertEquals("tok-1", plugin.getToken());
        assertEquals(1, runs());
    }

    @Test
    void failuresSayWhetherThePluginRanOutOfTime() throws IOException {
        Path slow = script("sleep 5");
        ExecCredentialPlugin.Failure e = assertThrows(ExecCredentialPlugin.Failure.class,
                () -> plugin(slow, null).start(Deadline.after(Duration.ofMillis(300))));
        assertEquals(ClusterCredentialException.Reason.TIMED_OUT, e.reason(), e.getMessage());
        assertEquals(slow.toString(), e.command());
        ExecCredentialPlugin.Failure exit = assertThrows(ExecCredentialPlugin.Failure.class, plugin(script("exit 1"), null)::getToken);
        assertEquals(ClusterCredentialException.Reason.FAILED, exit.reason(), exit.getMessage());
    }

    private ExecCredentialPlugin plugin(Path script, Deadline deadline) {
        return ExecCredentialPlugin.of(stanza(script), Map.of(), () -> Optional.ofNullable(deadline));
    }

    private static ObjectNode stanza(Path script) {
        ObjectNode exec = JSON.createObjectNode();
        exec.put("apiVersion", V1);
        exec.put("command", script.toString());
        exec.put("interactiveMode", "Never");
        return exec;
    }

    /** A plugin printing {@code cred.json}, counting its runs in {@code runs}. */
    private Path catCredential() throws IOException {
        return script("""
                d="$(dirname "$0")"
                echo run >> "$d/runs"
                cat "$d/cred.json"
                """);
    }

    private void credential(String token, Instant expires) throws IOException {
        ObjectNode cred = JSON.createObjectNode().put("apiVersion", V1).put("kind", "ExecCredential");
        ObjectNode status = cred.putObject("status").put("token", token);
        if (expires != null) {
            status.put("expirationTimestamp", expires.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        Files.writeString(dir.resolve("cred.json"), JSON.writeValueAsString(cred));
    }

    private long runs() throws IOException {
        Path f = dir.resolve("runs");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    private Path script(String body) throws IOException {
        Path f = Files.createTempFile(dir, "plugin", ".sh");
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        return f;
    }
}
