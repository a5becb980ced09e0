/**
 * Reusable JUnit 5 contract suites for the SDK's extension points. Extend a contract class in your
 * own test sources, implement its hooks, and JUnit runs every inherited check against your
 * implementation: {@link dev.helmsdk.testkit.contract.CredentialProviderContract} for a
 * {@link dev.helmsdk.api.auth.CredentialProvider},
 * {@link dev.helmsdk.testkit.contract.SecretResolverContract} for a
 * {@link dev.helmsdk.api.secrets.SecretResolver}.
 */
package dev.helmsdk.testkit.contract;
