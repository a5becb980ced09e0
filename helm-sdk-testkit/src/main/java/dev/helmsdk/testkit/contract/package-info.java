/**
 * Reusable JUnit 5 contract suites for the SDK's extension points and its manager. Extend a contract
 * class in your own test sources, implement its hooks, and JUnit runs every inherited check against
 * your implementation: {@link dev.helmsdk.testkit.contract.CredentialProviderContract} for a
 * {@link dev.helmsdk.api.auth.CredentialProvider},
 * {@link dev.helmsdk.testkit.contract.SecretResolverContract} for a
 * {@link dev.helmsdk.api.secrets.SecretResolver}, and
 * {@link dev.helmsdk.testkit.contract.HelmManagerContract} for a {@link dev.helmsdk.api.HelmManager}
 * (the real one on a test cluster, a fake, your wrapper), with its environment
 * ({@link dev.helmsdk.testkit.contract.HelmManagerEnvironment}) and charts
 * ({@link dev.helmsdk.testkit.contract.ContractCharts}).
 */
package dev.helmsdk.testkit.contract;
