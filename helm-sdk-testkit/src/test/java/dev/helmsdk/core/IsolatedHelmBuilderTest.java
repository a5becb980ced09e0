package dev.helmsdk.core;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.core.internal.isolated.NoisyHelmCallServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public switch to isolated Helm, and a command of the application's own. */
@Tag("integration")
class IsolatedHelmBuilderTest {

    /** A cluster that is never reached: enough for rendering without one. */
    static final String NOWHERE = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: u, user: {token: abc}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """;

    private static Path chart(Path dir) throws Exception {
        Path chart = Files.createDirectories(dir.resolve("hello"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: hello\nversion: 1.0.0\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  at: {{ .Release.Namespace }}\n");
        return chart;
    }

    @Test
    void anIsolatedManagerRendersAndLeavesNoProcessWhenClosed(@TempDir Path tmp) throws Exception {
        Set<ProcessHandle> before = Set.copyOf(ProcessHandle.current().descendants().toList());
        try (HelmManager helm = HelmSdk.builder().kubeConfigContents(NOWHERE).helmProcess(HelmSdk.HelmProcess.ISOLATED)
                .workDirectory(tmp.resolve("work")).build()) {
            RenderedManifest r = helm.template("hi").inNamespace("there").chart(ChartRef.local(chart(tmp))).run();
            assertTrue(r.find("ConfigMap", "hi").orElseThrow().yaml().contains("at: there"));
            assertEquals(1, newProcesses(before).size(), "Helm ran in one child process");
        }
        assertEquals(Set.of(), newProcesses(before));
    }

    @Test
    void aCommandOfTheApplicationsOwnIsUsed(@TempDir Path tmp) throws Exception {
        List<String> command = new ArrayList<>(HelmSdk.defaultIsolatedHelmCommand());
        assertEquals(HelmSdk.ISOLATED_HELM_MAIN_CLASS, command.get(command.size() - 1));
        command.set(command.size() - 1, NoisyHelmCallServer.class.getName()); // prints on stdout around every reply
        try (HelmManager helm = HelmSdk.builder().kubeConfigContents(NOWHERE).isolatedHelmCommand(command).build()) {
            assertTrue(helm.template("noisy").chart(ChartRef.local(chart(tmp))).run().find("ConfigMap", "noisy").isPresent());
        }
    }

    @Test
    void anEmptyCommandIsRejected() {
        assertThrows(InvalidRequestException.class, () -> HelmSdk.builder().isolatedHelmCommand(List.of()));
        assertThrows(InvalidRequestException.class, () -> HelmSdk.builder().isolatedHelmCommand(Arrays.asList("java", "")));
        assertThrows(NullPointerException.class, () -> HelmSdk.builder().helmProcess(null));
    }

    private static Set<ProcessHandle> newProcesses(Set<ProcessHandle> before) {
        return ProcessHandle.current().descendants().filter(p -> !before.contains(p) && p.isAlive()).collect(Collectors.toSet());
    }
}
