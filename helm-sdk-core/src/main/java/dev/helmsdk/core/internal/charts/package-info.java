/**
 * Chart lifecycle work behind {@link dev.helmsdk.core.ChartLifecycle}: dependency resolution ({@code Chart.lock},
 * {@code charts/}) as Helm does it, packaging and signing through Helm, pulls and pushes through the chart sources.
 */
package dev.helmsdk.core.internal.charts;
