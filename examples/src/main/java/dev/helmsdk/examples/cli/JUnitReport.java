package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringWriter;
import java.util.List;

/**
 * A dry run as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins, Azure DevOps) show as
 * tests. One {@code <testsuite>} named {@code helm-sdk dry-run NAMESPACE/RELEASE}; its first {@code <testcase>},
 * {@code render}, always passes and carries the changes in its {@code <system-out>}; then one testcase per
 * finding, its {@code classname} the check ({@code rbac}, {@code lint}, ...) and its name the code and the object:
 * an error is a {@code <failure>} (type: the code), a warning is {@code <skipped>} with the message (shown, not
 * failing), an info passes with the message in {@code <system-out>}. Hints go with the message.
 */
final class JUnitReport {

    private JUnitReport() {
    }

    static String write(DryRunResult r) {
        return xml(doc -> {
            Element suite = suite(doc, "helm-sdk dry-run " + r.namespace() + "/" + r.releaseName());
            Element render = testcase(doc, suite, "helm-sdk", "render " + r.chartName() + " " + r.chartVersion());
            text(doc, render, "system-out", changes(r.changes(), "no changes"));
            findings(doc, suite, r.findings());
        });
    }

    /**
     * A drift report: a testcase {@code revision N} that carries the drift in its {@code <system-out>}, one testcase
     * per drifted object (classname {@code drift}), a {@code <failure>} unless a correction re-applied it, then one
     * per finding as for a dry run.
     */
    static String write(DriftReport r) {
        return xml(doc -> {
            Element suite = suite(doc, "helm-sdk drift " + r.namespace() + "/" + r.releaseName());
            Element revision = testcase(doc, suite, "helm-sdk", "revision " + r.revision());
            text(doc, revision, "system-out", changes(r.drifted(), "no drift"));
            for (ObjectChange c : r.drifted()) {
                boolean missing = c.type() == ObjectChange.Type.ADDED;
                Element tc = testcase(doc, suite, DriftReport.CHECK, (missing ? "missing " : "edited ") + c.object().id());
                String what = changes(List.of(c), "");
                if (r.corrected().contains(c.object())) {
                    text(doc, tc, "system-out", "corrected: " + what);
                } else {
                    Element failure = text(doc, tc, "failure", what);
                    failure.setAttribute("message", c.object().id() + (missing ? " was deleted from the cluster" : " was edited in the cluster"));
                    failure.setAttribute("type", missing ? "drift.missing" : "drift.changed");
                }
            }
            findings(doc, suite, r.findings());
        });
    }

    /** Writes the document {@code body} fills, the suite's counts taken from its testcases. */
    private static String xml(java.util.function.Consumer<Document> body) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            doc.appendChild(doc.createElement("testsuites"));
            body.accept(doc);
            Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
            suite.setAttribute("tests", Integer.toString(suite.getElementsByTagName("testcase").getLength()));
            suite.setAttribute("failures", Integer.toString(suite.getElementsByTagName("failure").getLength()));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", Integer.toString(suite.getElementsByTagName("skipped").getLength()));
            StringWriter w = new StringWriter();
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static Element suite(Document doc, String name) {
        Element suite = doc.createElement("testsuite");
        doc.getDocumentElement().appendChild(suite);
        suite.setAttribute("name", name);
        return suite;
    }

    private static void findings(Document doc, Element suite, List<Finding> findings) {
        for (Finding f : findings) {
            Element c = testcase(doc, suite, f.check(), f.code() + f.object().map(o -> " " + o.id()).orElse("")
                    + f.field().map(p -> " " + p).orElse(""));
            String message = f.message() + f.hint().map(h -> " (" + h + ")").orElse("");
            switch (f.severity()) {
                case ERROR -> {
                    Element failure = text(doc, c, "failure", message);
                    failure.setAttribute("message", f.message());
                    failure.setAttribute("type", f.code());
                }
                case WARNING -> text(doc, c, "skipped", message).setAttribute("message", "warning: " + f.message());
                case INFO -> text(doc, c, "system-out", message);
            }
        }
    }

    private static String changes(List<ObjectChange> changes, String none) {
        if (changes.isEmpty()) {
            return none;
        }
        StringBuilder b = new StringBuilder();
        for (ObjectChange c : changes) {
            b.append(c.type().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(c.object().id());
            c.fields().forEach(f -> b.append("\n  ").append(f.path()).append(": ").append(f.before().orElse("(none)"))
                    .append(" -> ").append(f.after().orElse("(none)")));
            b.append('\n');
        }
        return b.toString();
    }

    private static Element testcase(Document doc, Element suite, String classname, String name) {
        Element c = doc.createElement("testcase");
        c.setAttribute("classname", classname);
        c.setAttribute("name", name);
        suite.appendChild(c);
        return c;
    }

    private static Element text(Document doc, Element parent, String tag, String text) {
        Element e = doc.createElement(tag);
        e.setTextContent(text);
        parent.appendChild(e);
        return e;
    }
}
