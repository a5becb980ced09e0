package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.testkit.contract.HelmManagerContract;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment.Capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fake held to the same contract as the real manager on EmbeddedKubernetes and the control
 * plane ({@code EmbeddedHelmManagerTest}, {@code ControlPlaneHelmManagerTest}): the core cases, with
 * no native library and no cluster, so it runs in the fast tier, and the readiness cases, with a
 * fault standing in for the crash-looping pod. The fake renders nothing by default, cannot mark a
 * stored revision pending, and has no cluster objects, so the cases needing those capabilities are
 * reported as skipped here; {@link FakeRenderingHelmManagerContractTest} runs the rendering cases too, with
 * rendering through Helm.
 */
class FakeHelmManagerContractTest extends HelmManagerContract {

    /** The fake under test, with the defaults unless a subclass configures it. */
    FakeHelmManager fake() {
        return FakeHelmManager.create();
    }

    /** What the fake with the defaults can do: no rendering, no stored pending records, no cluster. */
    Set<Capability> fakeCapabilities() {
        return Set.of(Capability.READINESS);
    }

    @Override
    protected HelmManagerEnvironment startEnvironment() {
        FakeHelmManager fake = fake();
        List<FakeHelmManager> others = new ArrayList<>();
        return new HelmManagerEnvironment() {
            @Override
            public HelmManager manager() {
                return fake;
            }

            @Override
            public HelmManager managerWithMaxHistory(int maxHistory) {
                FakeHelmManager limited = fake.withMaxHistory(maxHistory);
                others.add(limited);
                return limited;
            }

            @Override
            public Set<Capability> capabilities() {
                return fakeCapabilities();
            }

            /** The fake's own fault: the next change of the release fails its readiness wait. */
            @Override
            public Map<String, String> arrangeReadinessFailure(String namespace, String release) {
                boolean installed = fake.exists(release).inNamespace(namespace).run().isPresent();
                fake.onNext(installed ? Operation.UPGRADE : Operation.INSTALL, release)
                        .failsReadiness("deployment/" + release + ": back-off restarting failed container (CrashLoopBackOff)");
                return Map.of();
            }

            @Override
            public void close() {
                fake.close();
                others.forEach(FakeHelmManager::close);
            }
        };
    }
}
