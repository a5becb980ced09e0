/**
 * The opt-in watch-fed cache of release records ({@code ReleaseCache}): fabric8 informers on Helm's release
 * Secrets whose item store keeps each revision compact, and the bookkeeping that keeps reads consistent with
 * the manager's own writes. Internal: not API.
 */
package dev.helmsdk.core.internal.cache;
