package dev.helmsdk.testkit.contract;


import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartRequest;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The plumbing of {@link HelmManagerContract}: the environment started once per class, the charts, and what
 * the cases share (a capability check, the values file with a merge key). Its cases are in {@link RevisionCases},
 * {@link CoreCases} and {@link HelmManagerContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractSupport {

    HelmManagerEnvironment environment;
    ContractCharts charts;
    /** The environment's manager, set before the first case. */
    HelmManager helm;

    /** For the contract. */
    ContractSupport() {
    }

    /** What {@link HelmManagerContract#startEnvironment()} documents. */
    abstract HelmManagerEnvironment startEnvironment();

    @BeforeAll
    final void startContractEnvironment() {
        charts = ContractCharts.extract();
        environment = startEnvironment();
        helm = environment.manager();
    }

    @AfterAll
    final void stopContractEnvironment() {
        try {
            if (environment != null) {
                environment.close();
            }
        } finally {
            if (charts != null) {
                charts.close();
            }
        }
    }

    /** Skips the calling case, visibly, unless the environment declares {@code capability}. */
    final void requires(Capability capability) {
        Set<Capability> declared = EnumSet.noneOf(Capability.class);
        declared.addAll(environment.capabilities());
        Assumptions.assumeTrue(declared.contains(capability),
                () -> "needs " + capability + ", which this environment does not declare (it has " + declared + ")");
    }

    final ChartRef web() {
        return charts.web();
    }

    static List<Integer> revisions(List<Release> releases) {
        return releases.stream().map(Release::revision).toList();
    }

    static List<ReleaseStatus> statuses(List<Release> releases) {
        return releases.stream().map(Release::status).toList();
    }

    /** The differences a manager that does not render can see: all but the manifest. */
    static Set<Difference> beyondTheManifest(UpgradeCheck check) {
        Set<Difference> d = EnumSet.noneOf(Difference.class);
        d.addAll(check.differences());
        d.remove(Difference.MANIFEST);
        return d;
    }

    /** The request with the values the environment needs to make it fail readiness (requests are immutable). */
    final <S extends ChartRequest<S>> S failingReadiness(S request, String ns, String name) {
        S result = request;
        for (Map.Entry<String, String> e : environment.arrangeReadinessFailure(ns, name).entrySet()) {
            result = result.set(e.getKey(), e.getValue());
        }
        return result;
    }

    /** A values file whose top level comes from a YAML merge key, with a character outside the BMP. */
    static Path mergeKeyAndEmojiValues(Path dir) throws IOException {
        return Files.writeString(dir.resolve("values.yaml"), """
                defaults: &defaults
                  message: "shipped \uD83D\uDE80 on"
                  replicaCount: 2
                <<: *defaults
                """);
    }

    final String liveMessage(String ns, String release) {
        return environment.liveConfigMap(ns, release + "-config").orElseThrow(() -> new AssertionError("no ConfigMap " + release
                + "-config in " + ns)).get("message");
    }
}
