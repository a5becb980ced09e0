/**
 * The real {@link dev.helmsdk.api.HelmManager}, built with {@link dev.helmsdk.core.HelmSdk#builder()}.
 * Everything under {@code dev.helmsdk.core.internal} is implementation and may change without notice.
 * Arguments follow the SDK's <a href="../api/package-summary.html#null-rule">rule for bad arguments</a>:
 * {@code null} is a {@link java.lang.NullPointerException} naming the parameter unless documented otherwise.
 */
package dev.helmsdk.core;
