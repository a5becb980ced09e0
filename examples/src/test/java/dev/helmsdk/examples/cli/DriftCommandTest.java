package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code drift} without a cluster: its options, and how a drift report becomes output and an exit code. */
class DriftCommandTest {

    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "apps", "web");
    private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "apps", "web-config");
    private static final ObjectChange IMAGE = new ObjectChange(DEPLOYMENT, ObjectChange.Type.CHANGED,
            List.of(new FieldChange("/spec/template/spec/containers/0/image", Optional.of("\"nginx:1.28\""), Optional.of("\"nginx:1.27\""))));
    private static final ObjectChange MISSING = new ObjectChange(CONFIG, ObjectChange.Type.ADDED, List.of());
    private static final Finding FAILED = Finding.about(DriftReport.CHECK, "drift.correction_failed", Severity.ERROR, CONFIG, null,
            "re-applying ConfigMap/apps/web-config as deployed failed: denied", "fix what refuses it");

    private static DriftReport report(List<ObjectChange> drifted, List<Finding> findings, List<ObjectRef> corrected) {
        return new DriftReport("web", "apps", 4, drifted, findings, corrected);
    }

    @Test
    void exitCodesTellAFailedCorrectionFromDriftFromNothing() {
        DriftReport none = report(List.of(), List.of(), List.of());
        DriftReport drift = report(List.of(IMAGE, MISSING), List.of(), List.of());
        DriftReport failed = report(List.of(IMAGE, MISSING), List.of(FAILED), List.of(DEPLOYMENT));
        assertEquals(0, run(none, new StringWriter(), "--detailed-exitcode"));
        assertEquals(0, run(drift, new StringWriter()), "drift counts only when asked");
        assertEquals(2, run(drift, new StringWriter(), "--detailed-exitcode"));
        assertEquals(3, run(failed, new StringWriter(), "--correct", "--detailed-exitcode"), "a failed correction wins");
    }

    @Test
    void textShowsMissingAndEditedObjectsLiveThenDeployed() {
        StringWriter out = new StringWriter();
        run(report(List.of(IMAGE, MISSING), List.of(), List.of()), out);
        String text = out.toString();
        assertTrue(text.contains("Drift of apps/web: revision 4"), text);
        assertTrue(text.contains("1 objects missing (deleted from the cluster), 1 edited"), text);
        assertTrue(text.contains("~ Deployment/apps/web\n      /spec/template/spec/containers/0/image: \"nginx:1.28\" -> \"nginx:1.27\""), text);
        assertTrue(text.contains("+ ConfigMap/apps/web-config (missing)"), text);
        StringWriter calm = new StringWriter();
        run(report(List.of(), List.of(), List.of()), calm);
        assertTrue(calm.toString().contains("No drift."), calm.toString());
    }

    @Test
    void jsonIsTheDriftSchemaAndJunitFailsWhatStaysDrifted() throws Exception {
        DriftReport partly = report(List.of(IMAGE, MISSING), List.of(FAILED), List.of(DEPLOYMENT));
        StringWriter json = new StringWriter();
        run(partly, json, "--correct", "-o", "json");
        JsonNode node = new CliOutput(0, json.toString(), "").driftJson();
        assertTrue(node.get("drift").asBoolean());
        assertEquals("Deployment", node.at("/corrected/0/kind").asText());
        assertEquals("fail", node.get("verdict").asText());

        StringWriter xml = new StringWriter();
        run(partly, xml, "--correct", "--output", "junit");
        Document doc = new CliOutput(0, xml.toString(), "").xml();
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("helm-sdk drift apps/web", suite.getAttribute("name"));
        assertEquals("4", suite.getAttribute("tests"), "the revision, two objects, one finding");
        assertEquals("2", suite.getAttribute("failures"), "the object still missing and the failed correction; the corrected one passes");
        Element missing = (Element) doc.getElementsByTagName("testcase").item(2);
        assertEquals("missing ConfigMap/apps/web-config", missing.getAttribute("name"));
        assertEquals("drift.missing", ((Element) missing.getElementsByTagName("failure").item(0)).getAttribute("type"));
    }

    @Test
    void ignoreRulesAreAPointerOrKindNameAndPointerAndAnythingElseIsAUsageError() {
        CliOutput bad = CliOutput.run("drift", "web", "--ignore", "spec.replicas");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--ignore 'spec.replicas' is neither a JSON pointer"), bad.err());
        String help = CliOutput.run("drift", "--help").out();
        for (String option : List.of("--kubeconfig", "--kube-context", "--namespace", "--ignore", "--correct", "--output",
                "--detailed-exitcode", "helm-sdk.dev/drift-detection")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        assertFalse(help.contains("--values"), "drift compares what is deployed: no chart, no values");
    }

    /** The exit code and output of {@code drift web args}, given {@code report} as what the SDK returned. */
    private static int run(DriftReport report, StringWriter out, String... args) {
        List<String> all = new ArrayList<>(List.of("drift", "web"));
        all.addAll(List.of(args));
        String[] argv = all.toArray(String[]::new);
        CommandLine cl = HelmSdkCli.commandLine(argv, new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of());
        DriftCommand command = (DriftCommand) cl.parseArgs(argv).subcommand().commandSpec().userObject();
        return command.report(report);
    }
}
