/**
 * In-memory fakes of the SDK's SPIs for unit tests: {@link dev.helmsdk.testkit.spi.FakeSecretResolver}
 * (a {@link dev.helmsdk.api.secrets.SecretResolver} with the secrets, failures and latency you give it)
 * and {@link dev.helmsdk.testkit.spi.FakeCredentialProvider} (a
 * {@link dev.helmsdk.api.auth.CredentialProvider} with the credentials you give it). Both record every
 * request they get, with its context, so a test can assert what the SDK asked for; both are
 * thread-safe and can be changed while in use (to rotate a secret, or take the store down).
 * {@link dev.helmsdk.testkit.spi.InMemoryAuditSink} keeps the audit trail in memory for assertions, and
 * can be made to fail, to test {@link dev.helmsdk.api.audit.AuditPolicy}.
 */
package dev.helmsdk.testkit.spi;
