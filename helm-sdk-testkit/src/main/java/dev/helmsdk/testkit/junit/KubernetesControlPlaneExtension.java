package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.KubernetesControlPlane;

/**
 * The extension behind {@link KubernetesControlPlaneTest}; usable directly with
 * {@code @ExtendWith(KubernetesControlPlaneExtension.class)}. One control plane per top-level test
 * class ({@code @Nested} classes share it), started before the class's {@code @BeforeAll} methods by
 * {@link KubernetesControlPlane#startOrSkip()} (skipped with the install hint where the binaries
 * are missing, failed when {@code CI=true}), and one manager for it made on first use; both kept in
 * JUnit's store so they close when the class is done, even when tests fail.
 */
public final class KubernetesControlPlaneExtension extends ClusterExtension {

    /** For JUnit. */
    public KubernetesControlPlaneExtension() {
        super(KubernetesControlPlane.class, true, KubernetesControlPlane::startOrSkip);
    }
}
