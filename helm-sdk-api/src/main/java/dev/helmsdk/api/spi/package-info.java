/**
 * For implementers: {@link dev.helmsdk.api.spi.HelmEngine} carries out the operations behind a
 * {@link dev.helmsdk.api.HelmManager}, receiving complete request specs with defaults applied.
 * Arguments follow the <a href="../package-summary.html#null-rule">rule for bad arguments</a> of
 * {@code dev.helmsdk.api}; the specs' record components that may be {@code null} say so.
 */
package dev.helmsdk.api.spi;
