package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.HelmRegistryConfigCredentialProvider;

/**
 * The contract for {@link HelmRegistryConfigCredentialProvider}: the same file format as docker's,
 * so the store, rotation and breakage of {@link DockerConfigCredentialProviderContractTest} apply.
 */
class HelmRegistryConfigCredentialProviderContractTest extends DockerConfigCredentialProviderContractTest {

    @Override
    protected CredentialProvider provider() {
        return new HelmRegistryConfigCredentialProvider(file);
    }
}
