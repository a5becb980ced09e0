/**
 * The API users program against: {@link dev.helmsdk.api.HelmManager} and its fluent, immutable
 * requests; values ({@link dev.helmsdk.api.Release}, {@link dev.helmsdk.api.ChartRef},
 * {@link dev.helmsdk.api.Values}, {@link dev.helmsdk.api.Timeouts}); and the unchecked exception
 * family rooted at {@link dev.helmsdk.api.HelmSdkException}. No Helm and no Kubernetes client here:
 * the real implementation is in helm-sdk-core, fakes in helm-sdk-testkit.
 *
 * <h2 id="null-rule">Bad arguments: one rule for every public method</h2>
 * The rule holds for every public constructor and method of helm-sdk (api, core, auth, testkit):
 * <ul>
 *   <li>A {@code null} argument is a programming error and throws {@link java.lang.NullPointerException}
 *       whose message is the parameter's name ({@code Objects.requireNonNull(x, "name")}), at the call,
 *       before anything else happens: {@code helm.install(null)} throws
 *       {@code NullPointerException("releaseName")}. This is the JDK's and fabric8's convention.</li>
 *   <li>Where {@code null} is allowed, the parameter's Javadoc says what it means (for example a
 *       {@code null} version in {@link dev.helmsdk.api.ChartRef#repository(String, String, String)} is the
 *       latest one, a {@code null} value in {@code set(path, null)} deletes the key, as in Helm).</li>
 *   <li>A value that is present but wrong (an empty or malformed name, a zero timeout, an unreadable
 *       values file, a chart path that does not exist) throws {@link dev.helmsdk.api.InvalidRequestException}
 *       naming the value and what to do, before anything is sent to the cluster.</li>
 * </ul>
 * Why {@code NullPointerException} and not {@code InvalidRequestException} for {@code null}: a
 * {@code null} is a bug in the calling code, not bad data from its users or its configuration;
 * the JDK's own collections and records throw it anyway, and it is what callers of fabric8, OkHttp
 * and the JDK already expect. {@code InvalidRequestException} stays the answer to input a program
 * passes on from elsewhere and should report.
 */
package dev.helmsdk.api;
