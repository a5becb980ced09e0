package dev.helmsdk.core.internal.charts;

import dev.helmsdk.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Chart.lock digests and text as Helm writes them: checked against locks Helm itself wrote (Helm's own test data). */
class ChartDependenciesTest {

    /** helm/helm v3.21.0 pkg/chartutil/testdata/import-values-from-enabled-subchart/parent-chart: conditions, tags, import-values, '>'. */
    @Test
    void digestEqualsTheOneHelmWroteForConditionsTagsImportValuesAndEscapedOperators(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Chart.yaml"), """
                apiVersion: v2
                name: parent-chart
                version: v0.1.0
                appVersion: v0.1.0
                dependencies:
                  - name: dev
                    repository: "file://envs/dev"
                    version: ">= 0.0.1"
                    condition: dev.enabled,global.dev.enabled
                    tags:
                      - dev
                    import-values:
                      - data

                  - name: prod
                    repository: "file://envs/prod"
                    version: ">= 0.0.1"
                    condition: prod.enabled,global.prod.enabled
                    tags:
                      - prod
                    import-values:
                      - data
                """);
        Files.writeString(dir.resolve("Chart.lock"), """
                dependencies:
                - name: dev
                  repository: file://envs/dev
                  version: v0.1.0
                - name: prod
                  repository: file://envs/prod
                  version: v0.1.0
                digest: sha256:9403fc24f6cf9d6055820126cf7633b4bd1fed3c77e4880c674059f536346182
                generated: "2020-02-03T10:38:51.180474+01:00"
                """);
        ChartDependencies.Chart chart = ChartDependencies.read(Operation.DEPENDENCY_BUILD, dir);
        ChartDependencies.Lock lock = ChartDependencies.readLock(Operation.DEPENDENCY_BUILD, dir).orElseThrow();
        assertEquals(lock.digest(), ChartDependencies.digest(chart.dependencies(), lock.dependencies()));
    }

    @Test
    void lockTextIsHelmsSortedYamlWithQuotedScalarsWhereYamlWouldMisreadThem() {
        ChartDependencies.Lock lock = new ChartDependencies.Lock("sha256:ab", List.of(
                ChartDependencies.Dependency.locked("web", "https://charts.example/", "1.2.3"),
                ChartDependencies.Dependency.locked("sub", "", ">=1.0"),
                ChartDependencies.Dependency.locked("odd", "oci://r.example/c", "1.0")));
        assertEquals("""
                dependencies:
                - name: web
                  repository: https://charts.example/
                  version: 1.2.3
                - name: sub
                  repository: ""
                  version: ">=1.0"
                - name: odd
                  repository: oci://r.example/c
                  version: "1.0"
                digest: sha256:ab
                generated: "2026-12-03T19:07:33.1234Z"
                """, ChartDependencies.lockYaml(lock, Instant.parse("2026-12-03T19:07:33.123400Z")));
    }
}
