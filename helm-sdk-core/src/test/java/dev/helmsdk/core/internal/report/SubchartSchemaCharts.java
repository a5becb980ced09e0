package dev.helmsdk.core.internal.report;

import dev.helmsdk.core.TestArchives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A chart {@code shop} whose subcharts have schemas, for the values schema check and its differential test with
 * Helm: {@code redis} (a directory) twice by alias, {@code cache} always and {@code queue} behind
 * {@code condition: queue.enabled} (off by default); {@code db} (a {@code .tgz}) behind {@code tags: [database]}
 * (on by default), itself with a subchart {@code metrics} behind {@code condition: metrics.enabled}. The redis schema
 * requires the global {@code region} the parent sets. Public for the computed values' differential test.
 */
public final class SubchartSchemaCharts {

    private SubchartSchemaCharts() {
    }

    /** The chart {@code shop} as a directory under {@code tmp}. */
    public static Path shop(Path tmp) throws IOException {
        Path shop = write(tmp.resolve("shop"), "shop", "1.0.0", """
                dependencies:
                - name: redis
                  version: "1.x"
                  alias: cache
                - name: redis
                  version: "1.x"
                  alias: queue
                  condition: queue.enabled
                - name: db
                  version: "~2.0"
                  tags: [database]
                """, """
                global:
                  region: eu
                queue:
                  enabled: false
                tags:
                  database: true
                """, null);
        Files.createDirectories(shop.resolve("templates"));
        Files.writeString(shop.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
        write(shop.resolve("charts/redis"), "redis", "1.2.0", "", "port: 6379\n", """
                {"properties": {"port": {"type": "integer", "maximum": 65535},
                                "global": {"type": "object", "required": ["region"], "properties": {"region": {"type": "string"}}}}}
                """);
        Path db = write(tmp.resolve("db-src/db"), "db", "2.0.3", """
                dependencies:
                - name: metrics
                  version: "0.1.0"
                  condition: metrics.enabled
                """, "replicas: 1\nmetrics:\n  enabled: true\n", """
                {"properties": {"replicas": {"type": "integer", "minimum": 1}}}
                """);
        write(db.resolve("charts/metrics"), "metrics", "0.1.0", "", "interval: 30s\n", """
                {"properties": {"interval": {"type": "string", "pattern": "^[0-9]+s$"}}}
                """);
        TestArchives.pack(db, shop.resolve("charts/db-2.0.3.tgz"));
        return shop;
    }

    private static Path write(Path dir, String name, String version, String extra, String values, String schema) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n" + extra);
        Files.writeString(dir.resolve("values.yaml"), values);
        if (schema != null) {
            Files.writeString(dir.resolve("values.schema.json"), schema);
        }
        return dir;
    }

    /** One row: values given, and the paths (in the parent's values) whose values break a loaded subchart's schema. */
    record Case(String name, String values, List<String> fields) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("the defaults meet every schema", "{}", List.of()),
                new Case("alias cache: redis's schema on /cache", "cache:\n  port: high\n", List.of("/cache/port")),
                new Case("alias queue off by its condition: not loaded, not checked", "queue:\n  port: high\n", List.of()),
                new Case("alias queue on: redis's schema on /queue", "queue:\n  enabled: true\n  port: 70000\n", List.of("/queue/port")),
                new Case("tag database false: db not loaded, not checked", "tags:\n  database: false\ndb:\n  replicas: 0\n", List.of()),
                new Case("db from its .tgz: its schema on /db", "db:\n  replicas: 0\n", List.of("/db/replicas")),
                new Case("nested: metrics inside db's archive on /db/metrics", "db:\n  metrics:\n    interval: soon\n",
                        List.of("/db/metrics/interval")),
                new Case("nested condition off: metrics not checked", "db:\n  metrics:\n    enabled: false\n    interval: soon\n", List.of()),
                new Case("a global pushed into both aliases", "global:\n  region: 5\nqueue:\n  enabled: true\n",
                        List.of("/cache/global/region", "/queue/global/region")),
                // Helm folds the parent's default globals into each subchart's part of the parent's defaults
                // (processImportValues) before the given values come: deleting the global at the top leaves it there
                new Case("a null global at the top: the subcharts keep the parent's default", "global:\n  region: null\n", List.of()),
                new Case("the parent's globals win over a subchart's own", "cache:\n  global:\n    region: 7\n", List.of()));
    }
}
