package dev.helmsdk.testkit.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a chart's templates for a {@link FakeHelmManager} that opted in with
 * {@link FakeHelmManager.Builder#rendering(ChartRenderer)}, on the operation's thread. Without one the fake renders nothing:
 * Helm's template language is Go's, and no Java implementation of it is faithful enough to stand for
 * Helm's. A renderer must be thread-safe; a {@link RuntimeException}
 * it throws is the chart failing to render (a {@link dev.helmsdk.api.HelmOperationException}, as
 * with the real manager).
 */
@FunctionalInterface
public interface ChartRenderer {

    /**
     * What to render.
     *
     * @param chart       the chart directory or archive
     * @param releaseName the release
     * @param namespace   its namespace
     * @param values      the values the templates see: the chart's defaults with the user values merged over them
     */
    record Input(Path chart, String releaseName, String namespace, Map<String, Object> values) {
        /** Requires everything. */
        public Input {
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(releaseName, "releaseName");
            Objects.requireNonNull(namespace, "namespace");
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        }
    }

    /**
     * What a rendering gave.
     *
     * @param manifest the multi-document YAML, with Helm's {@code # Source:} comments
     * @param notes    the rendered NOTES.txt, empty when none
     */
    record Output(String manifest, String notes) {
        /** Requires the manifest; {@code null} notes are empty. */
        public Output {
            Objects.requireNonNull(manifest, "manifest");
            notes = Objects.requireNonNullElse(notes, "");
        }
    }

    /** The rendered NOTES.txt in the report Helm prints after an install: everything after its {@code NOTES:} line. */
    private static String notesOf(String report) {
        String heading = "\nNOTES:\n";
        int i = report == null ? -1 : report.indexOf(heading);
        return i < 0 ? "" : report.substring(i + heading.length()).strip();
    }

    /** Renders {@code input}. */
    Output render(Input input);

    /**
     * Helm's own rendering, {@code helm template} through helm-java: this loads Helm's native library
     * (the fake alone never does). Kubernetes v1.35.0 is assumed, as the real manager's {@code template()}
     * does. The notes come from a client-only dry run of the install ({@code helm template} does not render
     * NOTES.txt), which contacts no cluster either.
     */
    static ChartRenderer helmJava() {
        dev.helmsdk.core.internal.NativeHelm.prepare();   // JNA's stub under java.io.tmpdir, not ~/.cache
        return input -> {
            Path values = null;
            try {
                values = Files.createTempFile("helm-sdk-fake-values", ".json");
                Files.writeString(values, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(input.values()));
                String manifest = com.marcnuri.helm.Helm.template(input.chart().toAbsolutePath().toString())
                        .withName(input.releaseName()).withNamespace(input.namespace()).withValuesFile(values)
                        .withKubeVersion("v1.35.0").call();
                String report = com.marcnuri.helm.Helm.install(input.chart().toAbsolutePath().toString())
                        .withName(input.releaseName()).withNamespace(input.namespace()).withValuesFile(values)
                        .withKubeVersion("v1.35.0").dryRun().withDryRunOption(com.marcnuri.helm.DryRun.CLIENT).clientOnly()
                        .call().getOutput();
                return new Output(manifest, notesOf(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (values != null) {
                    try {
                        Files.deleteIfExists(values);
                    } catch (IOException ignored) {
                        // a temporary file left behind is harmless
                    }
                }
            }
        };
    }
}
