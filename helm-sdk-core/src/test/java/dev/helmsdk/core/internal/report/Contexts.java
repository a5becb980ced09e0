package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Check contexts for the checks' unit tests: objects from YAML, values, a chart on disk. */
final class Contexts {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Contexts() {
    }

    /** The documents of {@code yaml} as objects. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (var docs = YAML.readerFor(Map.class).readValues(yaml)) {
            while (docs.hasNext()) {
                Object doc = docs.next();
                if (doc != null) {
                    out.add((Map<String, Object>) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> values(String yaml) {
        try {
            return YAML.readValue(yaml, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CheckContext of(Path chart, Map<String, Object> values, List<Map<String, Object>> objects, String deployed,
                           ChartRef requested) {
        return new CheckContext(deployed == null ? Operation.INSTALL : Operation.UPGRADE, DryRunMode.CLIENT, "web", "apps", "web", "1.2.3",
                Optional.ofNullable(chart), new RenderedManifest("", List.of()), objects, values, Optional.ofNullable(deployed),
                Optional.empty(), text -> text.replace("s3cret-pw", "***"), false, false, Optional.ofNullable(requested));
    }

    static CheckContext ofObjects(String yaml) {
        return of(null, Map.of(), objects(yaml), null, null);
    }

    static List<dev.helmsdk.api.report.Finding> run(DryRunCheck check, CheckContext context) {
        return new DryRunChecks(List.of(check)).run(context).findings();
    }
}
