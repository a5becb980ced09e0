package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client dry run of the real podinfo chart reports what its values.schema.json, a CEL rule from a file, a built-in
 * validator and Helm's strict lint find, with one verdict. Client mode asks no cluster, so the embedded API is honest
 * here (the manager only needs a kubeconfig).
 */
@EmbeddedKubernetesTest
@Tag("integration")
class ValuesSchemaAndPolicyDryRunTest {

    private static final String SCHEMA = """
            {"type": "object", "required": ["replicaCount"],
             "properties": {"replicaCount": {"type": "integer", "minimum": 1},
                            "image": {"type": "object", "properties": {"tag": {"type": "string"}}}}}
            """;

    private static final String POLICY = """
            name: replicas
            match: {apiGroups: [apps], kinds: [Deployment]}
            params: {min: 2}
            validations:
              - expression: "object.spec.replicas >= params.min"
                messageExpression: "'runs ' + string(object.spec.replicas) + ' replica(s); production needs ' + string(params.min)"
            """;

    @Test
    void schemaViolationPolicyRuleAndBuiltInValidatorAreFindingsOfOneReport(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        Path chart = copy(TestCharts.podinfo(), tmp.resolve("podinfo"));
        Files.writeString(chart.resolve("values.schema.json"), SCHEMA);
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        ChartRef ref = ChartRef.local(chart);
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).discoverValidators(false)
                .builtInValidators(BuiltInValidator.IMAGE_TAGS).policyFile(policy).build()) {
            // Helm itself refuses these values before rendering: the report says where and why, rather than failing
            HelmOperationException helms = assertThrows(HelmOperationException.class,
                    () -> helm.template("web").inNamespace("apps").chart(ref).set("replicaCount", 0).run());
            assertTrue(helms.getMessage().contains("/replicaCount"), helms.getMessage());
            DryRunResult refused = helm.install("web").inNamespace("apps").chart(ref).set("replicaCount", 0).dryRun(DryRunMode.CLIENT);
            assertEquals(Verdict.FAIL, refused.verdict());
            assertEquals(List.of("values_schema values_schema.invalid /replicaCount"), located(refused.findings()));
            assertTrue(refused.findings().get(0).message().contains("minimum (expected 1)"), refused.findings().get(0).message());
            assertEquals(List.of(), refused.rendered().resources(), "Helm rendered nothing");

            DryRunResult report = helm.install("web").inNamespace("apps").chart(ref).set("image.tag", "latest").dryRun(DryRunMode.CLIENT);
            List<Finding> errors = report.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
            assertEquals(List.of("validator:image-tags image.latest /spec/template/spec/containers/0/image",
                    "policy:replicas policy.violated "), located(errors));
            assertEquals("Deployment/apps/web-podinfo", errors.get(1).object().orElseThrow().id());
            assertTrue(errors.get(1).message().endsWith("runs 1 replica(s); production needs 2"), errors.get(1).message());
            assertTrue(report.findings().stream().filter(f -> f.check().equals("lint")).allMatch(f -> f.severity() == Severity.INFO),
                    "podinfo lints clean but for information: " + report.findings());
            assertFalse(report.rendered().resources().isEmpty());
            assertEquals(Verdict.FAIL, report.verdict());

            // differentially: the paths Helm's own refusal names are the paths the report names
            HelmOperationException two = assertThrows(HelmOperationException.class, () -> helm.template("web").inNamespace("apps")
                    .chart(ref).set("replicaCount", 0).set("image.tag", 5).run());
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("at '([^']*)'").matcher(two.getMessage());
            java.util.Set<String> helmsPaths = new java.util.TreeSet<>();
            while (at.find()) {
                helmsPaths.add(at.group(1));
            }
            java.util.Set<String> ours = new java.util.TreeSet<>(helm.install("web").inNamespace("apps").chart(ref).set("replicaCount", 0)
                    .set("image.tag", 5).dryRun(DryRunMode.CLIENT).findings().stream().map(f -> f.field().orElseThrow()).toList());
            assertEquals(java.util.Set.of("/image/tag", "/replicaCount"), helmsPaths, two.getMessage());
            assertEquals(helmsPaths, ours);

            // and with what they ask for, the verdict passes
            DryRunResult fine = helm.install("web").inNamespace("apps").chart(ref).set("replicaCount", 2).dryRun(DryRunMode.CLIENT);
            assertEquals(Verdict.PASS, fine.verdict(), fine.findings().toString());

            measure(helm, ref, cluster);
        }
    }

    @Test
    void anArchiveIsLintedAndItsSchemaCheckedToo(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        Path chart = copy(TestCharts.podinfo(), tmp.resolve("podinfo"));
        Files.writeString(chart.resolve("values.schema.json"), SCHEMA);
        Path archive = tmp.resolve("podinfo-6.14.1.tgz");
        try (java.io.OutputStream out = Files.newOutputStream(archive);
             org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                     new java.util.zip.GZIPOutputStream(out));
             Stream<Path> files = Files.walk(chart)) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
                        new org.apache.commons.compress.archivers.tar.TarArchiveEntry(p.toFile(), "podinfo/" + chart.relativize(p));
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).discoverValidators(false).build()) {
            DryRunResult bad = helm.install("web").inNamespace("apps").chart(ChartRef.archive(archive)).set("replicaCount", "two")
                    .dryRun(DryRunMode.CLIENT);
            assertEquals(List.of("values_schema values_schema.invalid /replicaCount"), located(bad.findings()));
            DryRunResult fine = helm.install("web").inNamespace("apps").chart(ChartRef.archive(archive)).dryRun(DryRunMode.CLIENT);
            assertTrue(fine.findings().stream().anyMatch(f -> f.check().equals("lint")), "Helm lints the archive: " + fine.findings());
            assertTrue(fine.findings().stream().noneMatch(f -> f.code().endsWith(".failed")), fine.findings().toString());
            assertEquals(Verdict.PASS, fine.verdict());
        }
    }

    /** Found through {@code META-INF/services} by the test below. */
    public static final class FoundValidator implements dev.helmsdk.api.report.ReleaseValidator {
        @Override
        public String name() {
            return "found";
        }

        @Override
        public List<Finding> validate(Input input) {
            return List.of(Finding.general("ignored", "found.objects", Severity.INFO, input.objects().size() + " objects", null));
        }
    }

    @Test
    void aValidatorOnTheClassPathIsFoundUnlessDiscoveryIsOff(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        Path services = Files.createDirectories(tmp.resolve("cp/META-INF/services"));
        Files.writeString(services.resolve(dev.helmsdk.api.report.ReleaseValidator.class.getName()), FoundValidator.class.getName() + "\n");
        ChartRef ref = ChartRef.local(TestCharts.podinfo());
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[]{tmp.resolve("cp").toUri().toURL()}, before)) {
            thread.setContextClassLoader(loader);
            try (HelmManager found = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build();
                 HelmManager off = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).discoverValidators(false).build()) {
                List<Finding> seen = found.install("web").inNamespace("apps").chart(ref).dryRun(DryRunMode.CLIENT).findings().stream()
                        .filter(f -> f.code().equals("found.objects")).toList();
                assertEquals(1, seen.size(), "found by ServiceLoader");
                assertEquals("validator:found", seen.get(0).check(), "named by the validator, whatever check it gave");
                assertTrue(off.install("web").inNamespace("apps").chart(ref).dryRun(DryRunMode.CLIENT).findings().stream()
                        .noneMatch(f -> f.check().equals("validator:found")));
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** The time of a client dry run with every check of this part, against a template render and a plain manager's dry run. */
    private static void measure(HelmManager helm, ChartRef ref, EmbeddedKubernetes cluster) {
        long withRules = median(() -> helm.install("web").inNamespace("apps").chart(ref).set("replicaCount", 2).dryRun(DryRunMode.CLIENT));
        long template = median(() -> helm.template("web").inNamespace("apps").chart(ref).set("replicaCount", 2).run());
        try (HelmManager plain = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).discoverValidators(false).build()) {
            long plainRun = median(() -> plain.install("web").inNamespace("apps").chart(ref).set("replicaCount", 2).dryRun(DryRunMode.CLIENT));
            System.out.printf("podinfo client dry run: %d ms with schema+lint+image-tags+1 CEL rule, %d ms with schema+lint only,"
                    + " template alone %d ms (medians of 5)%n", withRules, plainRun, template);
        }
    }

    private static long median(Supplier<?> run) {
        run.get();
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            run.get();
            ms.add((System.nanoTime() - t) / 1_000_000);
        }
        ms.sort(null);
        return ms.get(2);
    }

    private static List<String> located(List<Finding> found) {
        return found.stream().map(f -> f.check() + " " + f.code() + " " + f.field().orElse("")).toList();
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
