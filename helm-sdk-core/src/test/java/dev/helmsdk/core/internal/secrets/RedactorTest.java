package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {

    private static final String PW = "s3cr3t-\"quoted\"-pw";

    @Test
    void masksTheValueAsWrittenBase64EncodedAndJsonEscaped() {
        Redactor r = Redactor.of(List.of(PW, Map.of("nested", List.of("tree-leaf-value")), 80, "on"));
        String b64 = Base64.getEncoder().encodeToString(PW.getBytes(StandardCharsets.UTF_8));
        assertEquals("a <redacted> b <redacted> c {\"pw\":\"<redacted>\"} d <redacted> port 80 on",
                r.mask("a " + PW + " b " + b64 + " c {\"pw\":\"s3cr3t-\\\"quoted\\\"-pw\"} d tree-leaf-value port 80 on"));
        assertTrue(r.appearsIn("x" + PW));
        assertFalse(r.appearsIn("port 80 is on"), "texts shorter than four characters are left alone");
    }

    @Test
    void masksAMultiLineSecretLineByLineToo() {
        String key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----";
        String yaml = "tls.key: |\n    MIIEvQIBADANBgkqhkiG9w0B\n    AQEFAASCBKcwggSjAgEAAoIB\n";
        assertFalse(Redactor.of(List.of(key)).mask(yaml).contains("MIIEvQ"), Redactor.of(List.of(key)).mask(yaml));
    }

    @Test
    void aCauseChainIsReplacedByMaskedStandInsKeepingClassNamesAndStacks() {
        Redactor r = Redactor.of(List.of(PW));
        IllegalStateException inner = new IllegalStateException("template failed: " + PW);
        RuntimeException outer = new RuntimeException("wrapped", inner);
        Throwable safe = r.sanitize(outer);
        StringWriter trace = new StringWriter();
        safe.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(PW), trace.toString());
        assertTrue(trace.toString().contains("java.lang.IllegalStateException: template failed: <redacted>"), trace.toString());
        assertEquals(outer.getStackTrace()[0], safe.getStackTrace()[0]);
        RuntimeException clean = new RuntimeException("nothing here");
        assertSame(clean, r.sanitize(clean), "a chain without secrets is kept as it is");
    }

    @Test
    void resultsKeepTheirShapeWithRenderedTextAndNotesMasked() {
        Redactor r = Redactor.of(List.of(PW));
        RenderedManifest m = new RenderedManifest("kind: ConfigMap\ndata:\n  pw: " + PW + "\n",
                List.of(new RenderedResource("v1", "ConfigMap", "c", "ns", "t.yaml", "pw: " + PW)));
        DryRunResult d = (DryRunResult) r.result(new DryRunResult("web", "ns", DryRunMode.SERVER, true, "podinfo", "6.0.0", m, "pw " + PW));
        assertFalse(d.rendered().manifest().contains(PW));
        assertEquals("pw: <redacted>", d.rendered().resources().get(0).yaml());
        assertEquals("pw <redacted>", d.notes());
        assertEquals("podinfo", d.chartName());
        Release rel = new Release("web", "ns", 1, ReleaseStatus.DEPLOYED, "podinfo", "6.0.0", "", null, "Install complete", "login " + PW);
        assertEquals("login <redacted>", ((Release) r.result(rel)).notes());
        assertSame(rel, Redactor.NONE.result(rel));
    }

    @Test
    void aDryRunsDiffAndFindingsAreMaskedTooAndKeepTheirChangesAndFindings() {
        Redactor r = Redactor.of(List.of(PW));
        var ref = new dev.helmsdk.api.report.ObjectRef("v1", "ConfigMap", "ns", "c");
        var change = new dev.helmsdk.api.report.ObjectChange(ref, dev.helmsdk.api.report.ObjectChange.Type.CHANGED,
                List.of(new dev.helmsdk.api.report.FieldChange("/data/pw", java.util.Optional.of("old"), java.util.Optional.of(PW))));
        var finding = new dev.helmsdk.api.report.Finding("policy:x", "policy.violated", dev.helmsdk.api.report.Severity.ERROR,
                java.util.Optional.of(ref), java.util.Optional.empty(), "value " + PW + " is bad", java.util.Optional.of("not " + PW));
        RenderedManifest m = new RenderedManifest("", List.of());
        DryRunResult d = (DryRunResult) r.result(new DryRunResult("web", "ns", DryRunMode.SERVER, true, "podinfo", "6.0.0", m, "",
                List.of(change), List.of(finding)));
        assertEquals(1, d.changes().size(), "the diff is kept");
        assertEquals(java.util.Optional.of("<redacted>"), d.changes().get(0).fields().get(0).after());
        assertEquals(java.util.Optional.of("old"), d.changes().get(0).fields().get(0).before());
        assertEquals("value <redacted> is bad", d.findings().get(0).message());
        assertEquals(java.util.Optional.of("not <redacted>"), d.findings().get(0).hint());
        assertFalse(d.toString().contains(PW));
    }
}
