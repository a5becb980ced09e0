/**
 * For implementers: {@link dev.helmsdk.api.spi.HelmEngine} carries out the operations behind a
 * {@link dev.helmsdk.api.HelmManager}, receiving complete request specs with defaults applied.
 */
package dev.helmsdk.api.spi;
