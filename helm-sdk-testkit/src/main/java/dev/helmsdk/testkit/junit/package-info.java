/**
 * JUnit 5 extensions that hand each test what it runs against, closed after it:
 * {@link dev.helmsdk.testkit.junit.FakeHelmManagerTest} (a fresh in-memory
 * {@link dev.helmsdk.testkit.fake.FakeHelmManager} per test, for unit tests in milliseconds),
 * {@link dev.helmsdk.testkit.junit.EmbeddedKubernetesTest} (an in-process Kubernetes API real Helm
 * deploys to) and {@link dev.helmsdk.testkit.junit.KubernetesControlPlaneTest} (a real control plane,
 * one per test class, skipped with an install hint where its binaries are missing and failing under
 * {@code CI=true}). Each injects into fields and parameters and is safe under parallel execution.
 */
package dev.helmsdk.testkit.junit;
