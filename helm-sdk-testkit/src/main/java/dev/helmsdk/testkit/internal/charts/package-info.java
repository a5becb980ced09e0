/**
 * Inside {@link dev.helmsdk.testkit.FakeChartRepository} and {@link dev.helmsdk.testkit.FakeOciRegistry}:
 * the shared HTTP(S) server with its authentication checks and recorded requests, and the well-formed
 * and hostile chart archives tests feed to every source. Not API.
 */
package dev.helmsdk.testkit.internal.charts;
