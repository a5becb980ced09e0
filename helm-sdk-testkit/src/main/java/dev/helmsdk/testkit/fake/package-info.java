/**
 * A fake {@link dev.helmsdk.api.HelmManager} for unit tests: {@link dev.helmsdk.testkit.fake.FakeHelmManager}
 * keeps releases in memory with Helm's semantics, injects faults on demand
 * ({@link dev.helmsdk.testkit.fake.FaultTrigger}) and records the calls it served
 * ({@link dev.helmsdk.testkit.fake.RecordedCall}, {@link dev.helmsdk.testkit.fake.CallAssertions}).
 * No cluster, no connection, no native library (unless {@link dev.helmsdk.testkit.fake.ChartRenderer#helmJava()}
 * is chosen to render templates). Inject one per test with
 * {@link dev.helmsdk.testkit.junit.FakeHelmManagerTest}.
 */
package dev.helmsdk.testkit.fake;
