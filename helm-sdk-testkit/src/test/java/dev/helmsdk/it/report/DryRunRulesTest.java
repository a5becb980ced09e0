package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.core.BuiltInValidator;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Experiment first: what a client dry run of podinfo reports with a schema violation, a policy and a built-in. */
@EmbeddedKubernetesTest
@Tag("integration")
class DryRunRulesTest {

    @Test
    void experiment(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        Path chart = copy(TestCharts.podinfo(), tmp.resolve("podinfo"));
        Files.writeString(chart.resolve("values.schema.json"), """
                {"properties": {"replicaCount": {"type": "integer", "minimum": 1},
                  "image": {"properties": {"tag": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]+\\\\.[0-9]+$"}}}}}
                """);
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).builtInValidators(BuiltInValidator.IMAGE_TAGS).build()) {
            DryRunResult r = helm.install("web").inNamespace("apps").chart(ChartRef.local(chart)).set("image.tag", "latest").dryRun(DryRunMode.CLIENT);
            for (Finding f : r.findings()) System.out.println("FINDING " + f);
            System.out.println("VERDICT " + r.verdict());
        } catch (RuntimeException e) {
            System.out.println("THROWN " + e);
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
