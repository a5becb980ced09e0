package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line against the embedded API: real dry runs, changes and reads, and its errors. */
@Tag("integration")
@EmbeddedKubernetesTest
class HelmSdkCliClusterTest {

    @TempDir
    static Path charts;

    @Test
    void aDryRunOfAnInstallIsTheReportsJsonAndChangesNothing(EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp)
            throws Exception {
        String kubeconfig = kubeconfig(cluster, tmp);
        CliOutput r = CliOutput.run("dry-run", "shop", chart(), "--kubeconfig", kubeconfig, "-n", "default", "--set", "replicaCount=2",
                "--output", "json", "--detailed-exitcode");
        assertEquals(2, r.exitCode(), "an install adds objects: changes, with --detailed-exitcode " + r);
        JsonNode report = r.reportJson();
        assertEquals("shop", report.get("release").asText());
        assertFalse(report.get("upgrade").asBoolean());
        assertEquals("hello", report.at("/chart/name").asText());
        assertTrue(report.get("rendered").toString().contains("\"kind\":\"Deployment\""), report.toString());
        assertEquals("pass", report.get("verdict").asText());
        assertEquals(3, report.get("changes").size(), "the ConfigMap, Service and Deployment would be added: " + report);
        assertNull(kube.apps().deployments().inNamespace("default").withName("shop").get(), "a dry run changes nothing");
    }

    @Test
    void builtInValidatorsAndAPolicyFileJudgeTheDryRun(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        String kubeconfig = kubeconfig(cluster, tmp);
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                name: replicas
                match: {apiGroups: ["apps"], kinds: ["Deployment"]}
                params: {min: 2}
                validations:
                  - expression: "object.spec.replicas >= params.min"
                    message: "fewer than two replicas"
                """);
        CliOutput plain = CliOutput.run("dry-run", "judged", chart(), "--kubeconfig", kubeconfig, "--set", "image.tag=latest",
                "--output", "json");
        assertEquals(0, plain.exitCode(), "no validator or policy is on by default: " + plain);

        CliOutput judged = CliOutput.run("dry-run", "judged", chart(), "--kubeconfig", kubeconfig, "--set", "image.tag=latest",
                "--validate", "image-tags,probes", "--policy", policy.toString(), "--output", "json");
        assertEquals(ExitCodes.FINDINGS, judged.exitCode(), judged.toString());
        java.util.Set<String> checks = new java.util.TreeSet<>();
        judged.reportJson().get("findings").forEach(f -> checks.add(f.get("check").asText() + " " + f.get("code").asText()));
        assertTrue(checks.contains("validator:image-tags image.latest"), checks.toString());
        assertTrue(checks.contains("policy:replicas policy.violated"), checks.toString());

        CliOutput unknown = CliOutput.run("dry-run", "judged", chart(), "--kubeconfig", kubeconfig, "--validate", "tidy");
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no validator 'tidy'") && unknown.err().contains("image-tags"), unknown.err());
    }

    @Test
    void installUpgradeHistoryStatusRollbackAndUninstallThroughTheCommandLine(EmbeddedKubernetes cluster, KubernetesClient kube,
                                                                               @TempDir Path tmp) throws Exception {
        String kubeconfig = kubeconfig(cluster, tmp);
        CliOutput install = CliOutput.run("install", "web", chart(), "--kubeconfig", kubeconfig, "-n", "cli", "--create-namespace",
                "--set", "replicaCount=2", "--wait");
        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(install.out().contains("STATUS: deployed"), install.out());
        assertTrue(install.err().contains("3/3 ready"), "readiness progress on stderr: " + install.err());
        assertEquals(2, kube.apps().deployments().inNamespace("cli").withName("web").get().getSpec().getReplicas());

        CliOutput upgrade = CliOutput.run("upgrade", "web", chart(), "--kubeconfig", kubeconfig, "-n", "cli", "--set", "replicaCount=3",
                "--rollback-on-failure", "--timeout", "2m");
        assertEquals(0, upgrade.exitCode(), upgrade.toString());
        assertTrue(upgrade.out().contains("REVISION: 2"), upgrade.out());

        // What is deployed is what the dry run is compared with: the same chart and values again is an upgrade that passes.
        CliOutput junit = CliOutput.run("dry-run", "web", chart(), "--kubeconfig", kubeconfig, "-n", "cli", "--set", "replicaCount=3",
                "--output", "junit", "--detailed-exitcode");
        assertEquals(0, junit.exitCode(), junit.toString());
        Document xml = junit.xml();
        assertEquals("helm-sdk dry-run cli/web", ((org.w3c.dom.Element) xml.getElementsByTagName("testsuite").item(0)).getAttribute("name"));
        assertEquals(0, xml.getElementsByTagName("failure").getLength(), junit.out());

        CliOutput history = CliOutput.run("history", "web", "--kubeconfig", kubeconfig, "-n", "cli", "-o", "json");
        assertEquals(0, history.exitCode(), history.toString());
        JsonNode revisions = new com.fasterxml.jackson.databind.ObjectMapper().readTree(history.out());
        assertEquals(2, revisions.size());
        assertEquals("superseded", revisions.get(0).get("status").asText());

        // A rollback's dry run: the report of returning to revision 1 (replicas 3 -> 2), with dry-run's formats and exit codes.
        CliOutput preview = CliOutput.run("rollback", "web", "1", "--kubeconfig", kubeconfig, "-n", "cli", "--dry-run",
                "--output", "json", "--detailed-exitcode");
        assertEquals(ExitCodes.CHANGES, preview.exitCode(), preview.toString());
        JsonNode previewed = preview.reportJson();
        assertEquals("rollback", previewed.get("operation").asText());
        assertFalse(previewed.get("upgrade").asBoolean());
        assertTrue(previewed.get("changes").toString().contains("/spec/replicas"), previewed.toString());
        CliOutput previewXml = CliOutput.run("rollback", "web", "--kubeconfig", kubeconfig, "-n", "cli", "--dry-run", "--output", "junit");
        assertEquals(0, previewXml.exitCode(), previewXml.toString());
        assertEquals(0, previewXml.xml().getElementsByTagName("failure").getLength(), previewXml.out());
        assertEquals(3, kube.apps().deployments().inNamespace("cli").withName("web").get().getSpec().getReplicas(), "nothing changed");
        assertEquals(ExitCodes.USAGE, CliOutput.run("status", "web", "--kubeconfig", kubeconfig, "-n", "cli", "-o", "junit").exitCode());

        CliOutput rollback = CliOutput.run("rollback", "web", "1", "--kubeconfig", kubeconfig, "-n", "cli");
        assertEquals(0, rollback.exitCode(), rollback.toString());
        assertEquals(2, kube.apps().deployments().inNamespace("cli").withName("web").get().getSpec().getReplicas());
        CliOutput status = CliOutput.run("status", "web", "--kubeconfig", kubeconfig, "-n", "cli");
        assertTrue(status.out().contains("REVISION: 3") && status.out().contains("STATUS: deployed"), status.out());

        CliOutput uninstall = CliOutput.run("uninstall", "web", "--kubeconfig", kubeconfig, "-n", "cli");
        assertEquals(0, uninstall.exitCode(), uninstall.toString());
        assertEquals("release \"web\" uninstalled", uninstall.out().strip(), "Helm's line, not the last revision's status");
        CliOutput gone = CliOutput.run("status", "web", "--kubeconfig", kubeconfig, "-n", "cli");
        assertEquals(ExitCodes.ERROR, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("web"), gone.err());
    }

    @Test
    void aBadValuesFileIsAnErrorNamingItAndChangesNothing(EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp)
            throws Exception {
        Path values = Files.writeString(tmp.resolve("values.yaml"), "replicaCount: [1\n");
        CliOutput r = CliOutput.run("install", "bad", chart(), "--kubeconfig", kubeconfig(cluster, tmp), "-f", values.toString());
        assertEquals(ExitCodes.ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().contains(values.toString()) && r.err().contains("not valid YAML"), r.err());
        assertTrue(kube.secrets().inNamespace("default").withLabel("name", "bad").list().getItems().isEmpty(), "no release record");
    }

    @Test
    void anUnreachableClusterIsAnErrorWithinTheTimeout(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(tmp.resolve("dead"), cluster.kubeConfigYaml()
                .replace(cluster.url().toString().replaceAll("/$", ""), "http://127.0.0.1:" + closed));
        Instant start = Instant.now();
        CliOutput r = CliOutput.run("dry-run", "web", chart(), "--kubeconfig", kubeconfig.toString(), "--timeout", "2s");
        Duration took = Duration.between(start, Instant.now());
        assertEquals(ExitCodes.ERROR, r.exitCode(), r.toString());
        assertTrue(r.out().isEmpty(), "no report: " + r.out());
        assertTrue(r.err().startsWith("Error: "), r.err());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
    }

    @Test
    void kubeContextChoosesTheContext(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String yaml = cluster.kubeConfigYaml();
        assertTrue(yaml.contains("current-context: embedded"), yaml);
        // The current context is one that cannot be reached; the embedded API is only reachable by naming its context.
        Path kubeconfig = Files.writeString(tmp.resolve("two-contexts"), yaml
                .replace("clusters:\n", "clusters:\n- name: dead\n  cluster:\n    server: http://127.0.0.1:" + closed + "\n")
                .replace("contexts:\n", "contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: embedded\n")
                .replace("current-context: embedded", "current-context: dead"));
        CliOutput named = CliOutput.run("dry-run", "ctx", chart(), "--kubeconfig", kubeconfig.toString(), "--kube-context", "embedded",
                "--timeout", "30s");
        assertEquals(0, named.exitCode(), named.toString());
        assertTrue(named.out().contains("Verdict: PASS"), named.out());
        assertEquals(ExitCodes.ERROR, CliOutput.run("dry-run", "ctx", chart(), "--kubeconfig", kubeconfig.toString(), "--timeout", "2s")
                .exitCode(), "the current context is the dead one");
    }

    /** The examples' chart: a Deployment (replicaCount), a Service and a ConfigMap, all named after the release. */
    private static String chart() {
        Path dir = charts.resolve("hello");
        return (Files.isDirectory(dir) ? dir : dev.helmsdk.examples.HelloChart.write(charts)).toString();
    }

    private static String kubeconfig(EmbeddedKubernetes cluster, Path tmp) throws Exception {
        return Files.writeString(tmp.resolve("kubeconfig"), cluster.kubeConfigYaml()).toString();
    }
}
