/**
 * Credentials for private chart sources: the {@link dev.helmsdk.api.auth.Credentials} methods,
 * the {@link dev.helmsdk.api.auth.CredentialProvider} SPI (implementations in {@code helm-sdk-auth})
 * and the error raised when none applies. Arguments follow the
 * <a href="../package-summary.html#null-rule">rule for bad arguments</a> of {@code dev.helmsdk.api}.
 */
package dev.helmsdk.api.auth;
