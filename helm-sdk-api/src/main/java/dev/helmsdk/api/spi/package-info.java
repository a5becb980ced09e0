/**
 * For implementers: the seams of helm-sdk.
 * <ul>
 *   <li>{@link dev.helmsdk.api.spi.HelmEngine} carries out the operations behind a
 *       {@link dev.helmsdk.api.HelmManager}: the real engine of helm-sdk-core, the testkit's fakes,
 *       or an engine of your own, put behind the fluent API with
 *       {@link dev.helmsdk.api.HelmManager#of(dev.helmsdk.api.spi.HelmEngine, String, dev.helmsdk.api.Timeouts)}.
 *       It receives complete, validated request specs with the manager's defaults applied:
 *       {@link dev.helmsdk.api.spi.DeploySpec} (grouped into {@link dev.helmsdk.api.spi.Readiness},
 *       {@link dev.helmsdk.api.spi.DeploySpec.Upgrade} and {@link dev.helmsdk.api.spi.DeploySpec.Rendering}),
 *       {@link dev.helmsdk.api.spi.RollbackSpec}, {@link dev.helmsdk.api.spi.UninstallSpec},
 *       {@link dev.helmsdk.api.spi.ReleaseQuery}, {@link dev.helmsdk.api.spi.ListSpec} and
 *       {@link dev.helmsdk.api.spi.LintSpec}. Its Javadoc says what is guaranteed and what an
 *       engine must still check.</li>
 *   <li>{@link dev.helmsdk.api.spi.OperationInterceptor} sees every operation before and after.</li>
 * </ul>
 * Arguments follow the <a href="../package-summary.html#null-rule">rule for bad arguments</a> of
 * {@code dev.helmsdk.api}; the specs' record components that may be {@code null} say so.
 */
package dev.helmsdk.api.spi;
