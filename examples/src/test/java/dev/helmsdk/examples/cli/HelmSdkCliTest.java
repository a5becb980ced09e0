package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line without a cluster: help, usage errors, and how a report becomes output and an exit code. */
class HelmSdkCliTest {

    private static final List<String> COMMANDS = List.of("dry-run", "diff", "drift", "install", "upgrade", "rollback", "status", "history",
            "uninstall", "advise", "package", "push", "pull", "verify", "dependency", "completion");
    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "apps", "web");
    private static final ObjectChange REPLICAS = new ObjectChange(DEPLOYMENT, ObjectChange.Type.CHANGED,
            List.of(new FieldChange("/spec/replicas", Optional.of("1"), Optional.of("3"))));
    private static final Finding DENIED = Finding.about("rbac", "rbac.denied", Severity.ERROR, DEPLOYMENT, null,
            "cannot patch deployments.apps in apps", "ask for patch on deployments");
    private static final Finding LATEST = Finding.about("validator:images", "image.latest", Severity.WARNING, DEPLOYMENT,
            "/spec/template/spec/containers/0/image", "image web:latest is not pinned", null);
    private static final Finding ICON = Finding.general("lint", "lint.icon", Severity.INFO, "icon is recommended", null);

    @Test
    void helpNamesEveryCommandAndTheExitCodes() {
        CliOutput r = CliOutput.run("--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String command : COMMANDS) {
            assertTrue(r.out().contains("  " + command + " ") || r.out().contains("  " + command + ", "), command + " in\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes:") && r.out().contains("64  usage error"), r.out());
        assertEquals(r.out(), CliOutput.run().out(), "no command: the same help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dry-run", "diff", "drift", "install", "upgrade", "rollback", "status", "history", "uninstall", "advise", "package",
            "push", "pull", "verify", "dependency", "dependency update", "dependency build", "completion"})
    void everyCommandHasHelpWithExamples(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        CliOutput r = CliOutput.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("Usage: helm-sdk-cli " + command), r.out());
        assertTrue(r.out().contains("Examples:\n  helm-sdk-cli "), r.out());
    }

    @Test
    void aDryRunsHelpSaysHowToReachTheClusterAndWhatTheExitCodesMean() {
        String help = CliOutput.run("dry-run", "--help").out();
        for (String option : List.of("--kubeconfig", "--kube-context", "--namespace", "--values", "--set", "--timeout", "--repo",
                "--version", "--output", "--detailed-exitcode", "--fail-on")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertTrue(help.contains("3   dry-run, rollback --dry-run: findings fail the verdict"), help);
    }

    @Test
    void usageErrorsExit64AndSayWhatToDo() {
        CliOutput unknown = CliOutput.run("dry-run", "web", "chart", "--bogus");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'") && unknown.err().contains("helm-sdk-cli dry-run --help"),
                unknown.err());
        CliOutput missing = CliOutput.run("install", "web");
        assertEquals(ExitCodes.USAGE, missing.exitCode());
        assertTrue(missing.err().contains("CHART"), missing.err());
        CliOutput timeout = CliOutput.run("status", "web", "--timeout", "soon");
        assertEquals(ExitCodes.USAGE, timeout.exitCode());
        assertTrue(timeout.err().contains("'soon' is not a duration"), timeout.err());
        assertEquals(ExitCodes.USAGE, CliOutput.run("dry-run", "web", "chart", "--output", "yaml").exitCode());
        assertEquals(ExitCodes.USAGE, CliOutput.run("dry-run", "web", "chart", "--fail-on", "info").exitCode());
        assertEquals(ExitCodes.USAGE, CliOutput.run("dry-run", "web", "chart", "--mode", "both").exitCode());
    }

    @Test
    void aKubeconfigThatIsNotThereIsAnErrorNamingIt() {
        CliOutput r = CliOutput.run("status", "web", "--kubeconfig", "/nonexistent/kubeconfig");
        assertEquals(ExitCodes.ERROR, r.exitCode());
        assertTrue(r.err().contains("/nonexistent/kubeconfig"), r.err());
    }

    @Test
    void exitCodesTellFailingFindingsFromChangesFromNothing() {
        DryRunResult nothing = result(List.of(), List.of());
        DryRunResult changes = result(List.of(REPLICAS), List.of(ICON));
        DryRunResult failing = result(List.of(REPLICAS), List.of(DENIED, ICON));
        DryRunResult warning = result(List.of(), List.of(LATEST));
        assertEquals(0, report(nothing, "dry-run", "--detailed-exitcode"));
        assertEquals(0, report(changes, "dry-run"), "changes count only when asked");
        assertEquals(2, report(changes, "dry-run", "--detailed-exitcode"));
        assertEquals(3, report(failing, "dry-run"));
        assertEquals(3, report(failing, "dry-run", "--detailed-exitcode"), "failing findings win over changes");
        assertEquals(0, report(warning, "dry-run"), "a warning does not fail by default");
        assertEquals(3, report(warning, "dry-run", "--fail-on", "warning"));
        assertEquals(0, report(failing, "diff"), "a diff does not gate on findings");
        assertEquals(2, report(failing, "diff", "--detailed-exitcode"));
    }

    @Test
    void textShowsChangesFindingsAndTheVerdictWithoutColourWhenNotATerminal() {
        StringWriter out = new StringWriter();
        report(result(List.of(REPLICAS), List.of(DENIED, LATEST)), out, "dry-run");
        String text = out.toString();
        assertTrue(text.contains("~ Deployment/apps/web\n      /spec/replicas: 1 -> 3"), text);
        assertTrue(text.contains("ERROR   rbac.denied Deployment/apps/web: cannot patch deployments.apps in apps\n"
                + "      hint: ask for patch on deployments"), text);
        assertTrue(text.contains("Verdict: FAIL"), text);
        assertFalse(text.contains("\u001b["), "no colour codes: " + text);
        StringWriter diff = new StringWriter();
        report(result(List.of(REPLICAS), List.of(DENIED)), diff, "diff");
        assertFalse(diff.toString().contains("rbac.denied"), "a diff shows the changes only: " + diff);
    }

    @Test
    void jsonIsTheReportsSchema() throws Exception {
        StringWriter out = new StringWriter();
        report(result(List.of(REPLICAS), List.of(DENIED, LATEST, ICON)), out, "dry-run", "-o", "json");
        JsonNode node = new CliOutput(0, out.toString(), "").reportJson();
        assertEquals("fail", node.get("verdict").asText());
        assertEquals(3, node.get("findings").size());
        assertEquals("/spec/replicas", node.at("/changes/0/fields/0/path").asText());
    }

    @Test
    void junitXmlHasATestcasePerFindingErrorsFailingAndWarningsSkipped() throws Exception {
        StringWriter out = new StringWriter();
        report(result(List.of(REPLICAS), List.of(DENIED, LATEST, ICON)), out, "dry-run", "--output", "junit");
        Document doc = new CliOutput(0, out.toString(), "").xml();
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("helm-sdk dry-run apps/web", suite.getAttribute("name"));
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(4, cases.getLength());
        Element render = (Element) cases.item(0);
        assertTrue(render.getTextContent().contains("changed Deployment/apps/web"), render.getTextContent());
        Element denied = (Element) cases.item(1);
        assertEquals("rbac", denied.getAttribute("classname"));
        assertEquals("rbac.denied Deployment/apps/web", denied.getAttribute("name"));
        Element failure = (Element) denied.getElementsByTagName("failure").item(0);
        assertEquals("rbac.denied", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().contains("ask for patch"), failure.getTextContent());
        Element latest = (Element) cases.item(2);
        assertEquals(1, latest.getElementsByTagName("skipped").getLength());
        assertEquals(0, latest.getElementsByTagName("failure").getLength());
        Element icon = (Element) cases.item(3);
        assertEquals(0, icon.getElementsByTagName("failure").getLength() + icon.getElementsByTagName("skipped").getLength());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CliOutput r = CliOutput.run("completion");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("complete -F"), r.out());
        for (String command : COMMANDS) {
            assertTrue(r.out().contains(command), command);
        }
        assertTrue(r.out().contains("--detailed-exitcode"));
    }

    @Test
    void setIsTypedAsHelmTypesIt() {
        List<SetValues.Assignment> a = SetValues.parse(List.of("replicas=3,enabled=true,name=web", "note=a\\,b", "gone=null"), true);
        assertEquals(List.of(new SetValues.Assignment("replicas", 3L), new SetValues.Assignment("enabled", true),
                new SetValues.Assignment("name", "web"), new SetValues.Assignment("note", "a,b"), new SetValues.Assignment("gone", null)), a);
        assertEquals("3", SetValues.parse(List.of("replicas=3"), false).get(0).value());
        assertEquals("0123", SetValues.parse(List.of("zip=0123"), true).get(0).value(), "not an integer as Helm reads it");
        assertThrows(dev.helmsdk.api.InvalidRequestException.class, () -> SetValues.parse(List.of("novalue"), true));
    }

    @Test
    void timeoutsReadAsHelmWritesThem() {
        Durations d = new Durations();
        assertEquals(Duration.ofSeconds(300), d.convert("300s"));
        assertEquals(Duration.ofSeconds(90), d.convert("1m30s"));
        assertEquals(Duration.ofMillis(1500), d.convert("1s500ms"));
        assertEquals(Duration.ofMinutes(5), d.convert("PT5M"));
        for (String bad : List.of("5", "0s", "-1s", "5q", "m", "")) {
            assertThrows(CommandLine.TypeConversionException.class, () -> d.convert(bad), bad);
        }
    }

    private static DryRunResult result(List<ObjectChange> changes, List<Finding> findings) {
        return new DryRunResult("web", "apps", DryRunMode.SERVER, true, "web", "1.2.3", new RenderedManifest("", List.of()), "",
                changes, findings);
    }

    private static int report(DryRunResult result, String... args) {
        return report(result, new StringWriter(), args);
    }

    /** The exit code and output of the command {@code args} parse to, given {@code result} as its dry run's. */
    private static int report(DryRunResult result, StringWriter out, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "web");
        all.add(2, "./chart");
        String[] argv = all.toArray(String[]::new);
        CommandLine cl = HelmSdkCli.commandLine(argv, new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of());
        CommandLine.ParseResult parsed = cl.parseArgs(argv);
        ReportCommand command = (ReportCommand) parsed.subcommand().commandSpec().userObject();
        assertNull(command.cluster.kubeconfig);
        return command.report(result, command.failOn());
    }
}
