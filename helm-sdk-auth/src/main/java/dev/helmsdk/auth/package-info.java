/**
 * Credential providers for private chart sources and {@link dev.helmsdk.auth.CredentialChain},
 * which asks them in priority order. See {@link dev.helmsdk.api.auth.CredentialProvider} for the SPI.
 */
package dev.helmsdk.auth;
