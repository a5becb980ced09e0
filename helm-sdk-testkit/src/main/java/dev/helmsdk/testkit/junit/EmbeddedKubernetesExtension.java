package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.EmbeddedKubernetes;

/**
 * The extension behind {@link EmbeddedKubernetesTest}; usable directly with
 * {@code @ExtendWith(EmbeddedKubernetesExtension.class)}. One cluster and one manager per test
 * class, kept in JUnit's store so they close when the class is done, even when tests fail.
 */
public final class EmbeddedKubernetesExtension extends ClusterExtension {

    /** For JUnit. */
    public EmbeddedKubernetesExtension() {
        super(EmbeddedKubernetes.class, false, EmbeddedKubernetes::start);
    }
}
