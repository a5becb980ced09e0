package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.Severity;
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
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            doc.appendChild(suites);
            Element suite = doc.createElement("testsuite");
            suites.appendChild(suite);
            long errors = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
            long warnings = r.findings().stream().filter(f -> f.severity() == Severity.WARNING).count();
            suite.setAttribute("name", "helm-sdk dry-run " + r.namespace() + "/" + r.releaseName());
            suite.setAttribute("tests", Integer.toString(1 + r.findings().size()));
            suite.setAttribute("failures", Long.toString(errors));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", Long.toString(warnings));
            Element render = testcase(doc, suite, "helm-sdk", "render " + r.chartName() + " " + r.chartVersion());
            text(doc, render, "system-out", changes(r));
            for (Finding f : r.findings()) {
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

    private static String changes(DryRunResult r) {
        if (r.changes().isEmpty()) {
            return "no changes";
        }
        StringBuilder b = new StringBuilder();
        for (ObjectChange c : r.changes()) {
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
