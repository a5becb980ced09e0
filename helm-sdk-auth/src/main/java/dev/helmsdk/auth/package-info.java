/**
 * Credential providers for private chart sources and {@link dev.helmsdk.auth.CredentialChain},
 * which asks them in priority order. See {@link dev.helmsdk.api.auth.CredentialProvider} for the SPI.
 * Arguments follow the SDK's <a href="../api/package-summary.html#null-rule">rule for bad arguments</a>:
 * {@code null} is a {@link java.lang.NullPointerException} naming the parameter unless documented otherwise.
 */
package dev.helmsdk.auth;
