/**
 * The real {@link dev.helmsdk.api.HelmManager}, built with {@link dev.helmsdk.core.HelmSdk#builder()}.
 * Everything under {@code dev.helmsdk.core.internal} is implementation and may change without notice.
 */
package dev.helmsdk.core;
