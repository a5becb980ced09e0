package dev.helmsdk.testkit.fake;

import dev.helmsdk.testkit.contract.HelmManagerEnvironment.Capability;
import org.junit.jupiter.api.Tag;

import java.util.Set;

/**
 * The fake with rendering through Helm ({@link ChartRenderer#helmJava()}, the native library, hence the
 * integration tier) held to the contract's rendering cases as well: manifests, notes, template, lint, a
 * chart that fails to render, and needsUpgrade's manifest comparison, the same as the real manager's.
 */
@Tag("integration")
class FakeRenderingHelmManagerContractTest extends FakeHelmManagerContractTest {

    @Override
    FakeHelmManager fake() {
        return FakeHelmManager.builder().rendering(ChartRenderer.helmJava()).build();
    }

    @Override
    Set<Capability> fakeCapabilities() {
        return Set.of(Capability.READINESS, Capability.RENDERING);
    }
}
