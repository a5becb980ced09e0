/**
 * The API users program against: {@link dev.helmsdk.api.HelmManager} and its fluent, immutable
 * requests; values ({@link dev.helmsdk.api.Release}, {@link dev.helmsdk.api.ChartRef},
 * {@link dev.helmsdk.api.Values}, {@link dev.helmsdk.api.Timeouts}); and the unchecked exception
 * family rooted at {@link dev.helmsdk.api.HelmSdkException}. No Helm and no Kubernetes client here:
 * the real implementation is in helm-sdk-core, fakes in helm-sdk-testkit.
 */
package dev.helmsdk.api;
