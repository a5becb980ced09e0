package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that masks an operation's resolved secrets in text leaving the SDK: Helm's error
 * text (and the causes carrying it), the manifests and notes a dry run or template returns, a
 * release's notes. Each resolved text is masked as written, base64-encoded (as a Secret's
 * {@code data} holds it) and JSON-escaped. Texts shorter than {@link #MIN_LENGTH} are not masked:
 * masking {@code "1"} or {@code "on"} everywhere would garble the output and hide nothing.
 *
 * <p>What cannot be masked: a secret a template transforms ({@code sha256sum}, {@code upper}, a
 * base64 of a longer string it is part of). Charts that mount an existing Secret avoid it.
 */
public final class Redactor {

    /** The mask that replaces a resolved value. */
    public static final String MASK = "<redacted>";
    /** Resolved texts shorter than this are not masked. */
    static final int MIN_LENGTH = 4;
    /** Masks nothing: for operations without secret references. */
    public static final Redactor NONE = new Redactor(List.of());

    /** Longest first, so a secret containing another is masked whole. */
    private final List<String> forms;

    private Redactor(List<String> forms) {
        this.forms = forms;
    }

    /** A redactor for the values references resolved to (strings, numbers, booleans, trees of them). */
    public static Redactor of(Iterable<?> resolved) {
        Set<String> texts = new LinkedHashSet<>();
        resolved.forEach(v -> leaves(v, texts));
        Set<String> forms = new LinkedHashSet<>();
        for (String t : texts) {
            if (t.length() < MIN_LENGTH) {
                continue;
            }
            forms.add(t);
            forms.add(Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
            String escaped = t.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
            forms.add(escaped);
            // A multi-line secret (a key, a certificate) also appears line by line, e.g. indented in YAML.
            if (t.contains("\n")) {
                t.lines().map(String::strip).filter(l -> l.length() >= 2 * MIN_LENGTH).forEach(forms::add);
            }
        }
        if (forms.isEmpty()) {
            return NONE;
        }
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    private static void leaves(Object v, Set<String> into) {
        if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> leaves(x, into));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> leaves(x, into));
        } else if (v != null) {
            into.add(v.toString());
        }
    }

    /** Whether there is anything to mask. */
    public boolean masksNothing() {
        return forms.isEmpty();
    }

    /** Whether {@code text} holds a resolved value. */
    public boolean appearsIn(String text) {
        if (text == null || forms.isEmpty()) {
            return false;
        }
        for (String f : forms) {
            if (text.contains(f)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every resolved value masked ({@code null} stays {@code null}). */
    public String mask(String text) {
        if (!appearsIn(text)) {
            return text;
        }
        String out = text;
        for (String f : forms) {
            out = out.replace(f, MASK);
        }
        return out;
    }

    /** Whether the message of {@code t} or of any of its causes holds a resolved value. */
    public boolean appearsIn(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (appearsIn(x.getMessage()) || appearsIn(x.toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code t} itself when no message in its chain holds a resolved value; otherwise a stand-in
     * chain with the messages masked, each keeping its original's class name (in its message) and
     * stack trace, so the cause's text cannot be read back from the exception thrown.
     */
    public Throwable sanitize(Throwable t) {
        if (t == null || !appearsIn(t)) {
            return t;
        }
        Throwable cause = t.getCause() == t ? null : sanitize(t.getCause());
        Throwable copy = new MaskedException(t.getClass().getName() + ": " + mask(String.valueOf(t.getMessage())), cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /**
     * {@code e} when no resolved value is in its text; otherwise the same failure with the values
     * masked. Helm's own text is masked where it is translated ({@code HelmErrors}); this catches the
     * rest, as a {@link HelmOperationException} carrying the masked text.
     */
    public HelmSdkException masked(HelmSdkException e) {
        if (!appearsIn(e)) {
            return e;
        }
        String text = e instanceof HelmOperationException h ? mask(h.helmMessage()) : mask(e.getMessage());
        return new HelmOperationException(e.operation(), e.releaseName().orElse(null), mask(e.getMessage()), text, sanitize(e.getCause()));
    }

    /** An operation's result with rendered text and notes masked; other results as they are. */
    public Object result(Object result) {
        if (forms.isEmpty() || result == null) {
            return result;
        }
        if (result instanceof DryRunResult d) {
            return new DryRunResult(d.releaseName(), d.namespace(), d.mode(), d.upgrade(), d.chartName(), d.chartVersion(),
                    manifest(d.rendered()), mask(d.notes()), changes(d.changes()), findings(d.findings()), d.operation());
        }
        if (result instanceof RenderedManifest m) {
            return manifest(m);
        }
        if (result instanceof Release r && (appearsIn(r.notes()) || appearsIn(r.description()))) {
            return new Release(r.name(), r.namespace(), r.revision(), r.status(), r.chartName(), r.chartVersion(), r.appVersion(),
                    r.lastDeployed(), mask(r.description()), mask(r.notes()));
        }
        return result;
    }

    /** The diff's values masked: a resolved value rendered into a ConfigMap or an env var is in a field's before or after. */
    public List<dev.helmsdk.api.report.ObjectChange> changes(List<dev.helmsdk.api.report.ObjectChange> changes) {
        if (forms.isEmpty()) {
            return changes;
        }
        return changes.stream().map(c -> new dev.helmsdk.api.report.ObjectChange(c.object(), c.type(), c.fields().stream()
                .map(f -> new dev.helmsdk.api.report.FieldChange(f.path(), f.before().map(this::mask), f.after().map(this::mask)))
                .toList())).toList();
    }

    /** Findings' messages and hints masked, whatever check wrote them. */
    public List<dev.helmsdk.api.report.Finding> findings(List<dev.helmsdk.api.report.Finding> findings) {
        if (forms.isEmpty()) {
            return findings;
        }
        return findings.stream().map(f -> new dev.helmsdk.api.report.Finding(f.check(), f.code(), f.severity(), f.object(),
                f.field(), mask(f.message()), f.hint().map(this::mask))).toList();
    }

    private RenderedManifest manifest(RenderedManifest m) {
        List<RenderedResource> resources = m.resources().stream().map(r -> appearsIn(r.yaml())
                ? new RenderedResource(r.apiVersion(), r.kind(), r.name(), r.namespace(), r.source(), mask(r.yaml())) : r).toList();
        return new RenderedManifest(mask(m.manifest()), resources);
    }

    @Override
    public String toString() {
        return "Redactor[" + forms.size() + " forms]";
    }

    /** A cause whose message was masked; its message starts with the original's class name. */
    static final class MaskedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaskedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
