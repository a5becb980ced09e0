package dev.helmsdk.core.internal.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.source.Digests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A chart directory's {@code Chart.yaml} dependencies and its {@code Chart.lock}, read and written as Helm 3.21
 * does: the lock's digest is Helm's {@code HashReq} (sha256 of Go's JSON of the requested and the locked lists),
 * so a lock written here passes {@code helm dependency build} and one Helm wrote passes ours.
 */
public final class ChartDependencies {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * A dependency as {@code Chart.yaml} lists it (the fields of Helm's {@code chart.Dependency}, in its order).
     *
     * @param importValues strings and maps, as written
     */
    public record Dependency(String name, String version, String repository, String condition, List<String> tags,
                             boolean enabled, List<Object> importValues, String alias) {

        /** A locked dependency: name, repository and exact version only. */
        public static Dependency locked(String name, String repository, String version) {
            return new Dependency(name, version, repository, "", List.of(), false, List.of(), "");
        }

        /** Go's {@code json.Marshal} of Helm's struct: omitempty fields left out. */
        Map<String, Object> goJson() {
            Map<String, Object> m = new GoJson.Struct();
            m.put("name", name);
            if (!version.isEmpty()) {
                m.put("version", version);
            }
            m.put("repository", repository);
            if (!condition.isEmpty()) {
                m.put("condition", condition);
            }
            if (!tags.isEmpty()) {
                m.put("tags", tags);
            }
            if (enabled) {
                m.put("enabled", true);
            }
            if (!importValues.isEmpty()) {
                m.put("import-values", importValues);
            }
            if (!alias.isEmpty()) {
                m.put("alias", alias);
            }
            return m;
        }
    }

    /**
     * A chart directory's metadata and dependencies.
     *
     * @param metadata     {@code Chart.yaml}, parsed
     * @param dependencies its {@code dependencies}, empty when there are none
     * @param declared     whether {@code Chart.yaml} has a {@code dependencies} list at all
     */
    public record Chart(Path directory, Map<String, Object> metadata, List<Dependency> dependencies, boolean declared) {
        public String name() {
            return String.valueOf(metadata.get("name"));
        }

        public String version() {
            return String.valueOf(metadata.get("version"));
        }
    }

    /** A {@code Chart.lock}: its digest and locked dependencies. */
    public record Lock(String digest, List<Dependency> dependencies) {
    }

    private ChartDependencies() {
    }

    /** Reads {@code <dir>/Chart.yaml}; a missing or unparsable file is an {@link InvalidRequestException}. */
    public static Chart read(Operation op, Path dir) {
        Path file = dir.resolve("Chart.yaml");
        if (!Files.isDirectory(dir)) {
            throw new InvalidRequestException(op, null, "chart directory " + dir + " does not exist (only unpacked charts have dependencies to update)");
        }
        try {
            return parse(op, dir, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidRequestException(op, null, "chart directory " + dir + " has no Chart.yaml", e);
        } catch (IOException e) {
            throw new InvalidRequestException(op, null, file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses the text of {@code Chart.yaml} of the chart at {@code where} (a directory or archive, for messages). */
    @SuppressWarnings("unchecked")
    public static Chart parse(Operation op, Path where, String chartYaml) {
        String file = where + "/Chart.yaml";
        Map<String, Object> meta;
        if (chartYaml.isBlank()) {
            throw new InvalidRequestException(op, null, file + " is empty: it must give the chart's name and version");
        }
        YamlAliases.requireBounded(op, file, chartYaml);
        try {
            Object parsed = YAML.readValue(chartYaml, Object.class);
            if (!(parsed instanceof Map)) {
                throw new InvalidRequestException(op, null, file + " is not a YAML map");
            }
            meta = (Map<String, Object>) parsed;
        } catch (IOException e) {
            throw new InvalidRequestException(op, null, file + " cannot be read: " + e.getMessage(), e);
        }
        if (meta.get("name") == null || meta.get("version") == null) {
            throw new InvalidRequestException(op, null, file + " must give the chart's name and version");
        }
        Object raw = meta.get("dependencies");
        List<Dependency> deps = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> d) || d.get("name") == null) {
                    throw new InvalidRequestException(op, null, file + ": every dependency needs a name (dependencies must not contain empty or null nodes)");
                }
                deps.add(dependency((Map<String, Object>) d));
            }
        } else if (raw != null) {
            throw new InvalidRequestException(op, null, file + ": dependencies must be a list");
        }
        return new Chart(where, meta, List.copyOf(deps), raw != null);
    }

    @SuppressWarnings("unchecked")
    private static Dependency dependency(Map<String, Object> d) {
        List<String> tags = d.get("tags") instanceof List<?> t ? t.stream().map(String::valueOf).toList() : List.of();
        List<Object> imports = d.get("import-values") instanceof List<?> i ? (List<Object>) i : List.of();
        return new Dependency(text(d.get("name")), text(d.get("version")), text(d.get("repository")), text(d.get("condition")),
                tags, Boolean.TRUE.equals(d.get("enabled")), imports, text(d.get("alias")));
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o).trim();
    }

    /** Reads {@code <dir>/Chart.lock}, if there is one. */
    @SuppressWarnings("unchecked")
    public static Optional<Lock> readLock(Operation op, Path dir) {
        Path file = dir.resolve("Chart.lock");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            YamlAliases.requireBounded(op, file.toString(), text);
            Object parsed = YAML.readValue(text, Object.class);
            Map<String, Object> m = parsed instanceof Map ? (Map<String, Object>) parsed : Map.of();
            List<Dependency> deps = new ArrayList<>();
            if (m.get("dependencies") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> d) {
                        deps.add(dependency((Map<String, Object>) d));
                    }
                }
            }
            return Optional.of(new Lock(text(m.get("digest")), List.copyOf(deps)));
        } catch (IOException e) {
            throw new InvalidRequestException(op, null, file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Helm's {@code resolver.HashReq}: {@code sha256:} + hex sha256 of Go's JSON of {@code [requested, locked]}. */
    public static String digest(List<Dependency> requested, List<Dependency> locked) {
        List<Object> pair = List.of(requested.stream().map(Dependency::goJson).toList(), locked.stream().map(Dependency::goJson).toList());
        return "sha256:" + Digests.sha256(GoJson.write(pair));
    }

    /** {@code Chart.lock} as Helm writes it (sigs.k8s.io/yaml: keys sorted, scalars quoted where YAML would misread them). */
    public static String lockYaml(Lock lock, Instant generated) {
        StringBuilder y = new StringBuilder("dependencies:\n");
        for (Dependency d : lock.dependencies()) {
            y.append("- name: ").append(GoJson.yamlScalar(d.name())).append('\n')
                    .append("  repository: ").append(GoJson.yamlScalar(d.repository())).append('\n')
                    .append("  version: ").append(GoJson.yamlScalar(d.version())).append('\n');
        }
        y.append("digest: ").append(GoJson.yamlScalar(lock.digest())).append('\n');
        y.append("generated: \"").append(GoJson.goTime(generated)).append("\"\n");
        return y.toString();
    }
}
