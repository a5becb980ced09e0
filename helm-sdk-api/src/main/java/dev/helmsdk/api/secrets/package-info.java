/**
 * Secret references in values ({@code ref+<scheme>://<path>[?params][#/fragment][+]}, helmfile
 * vals' grammar) and the {@link dev.helmsdk.api.secrets.SecretResolver} SPI that resolves them at
 * deploy time. Its own package, like {@code dev.helmsdk.api.auth}: a family of pluggable providers
 * with its own context and exception, which most users of the API never touch.
 */
package dev.helmsdk.api.secrets;
