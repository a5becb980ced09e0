package dev.helmsdk.testkit;

/**
 * A failure a test cluster injects into a workload's pods, with the status a real cluster reports for it.
 *
 * <p>Both test clusters honour the pod-template <em>label or annotation</em> {@value #MARKER} with one of the
 * {@linkplain #markerValue() marker values} {@code crash-loop}, {@code image-pull-failure} or {@code never-ready}, so
 * one chart fails the same way on either: put it on the pod template, as a label through a chart's
 * {@code podLabels} value or as an annotation through {@code podAnnotations} (what charts such as podinfo offer),
 * and its pods fail. When a pod has both, the label wins.
 * <ul>
 *   <li>{@link EmbeddedKubernetes} reads it from the pod's labels and annotations, and also as an annotation on the
 *       workload itself; {@link EmbeddedKubernetes#simulateFailure(String, String, WorkloadFailure)}
 *       injects a failure without touching the chart.</li>
 *   <li>{@link KubernetesControlPlane} (a real API server, controllers and scheduler, with KWOK as the node agent)
 *       reads the pod's label or annotation: KWOK stages give marked pods the failing status. It knows one more value,
 *       {@code exit}: every container terminates with exit code 1 and the pod ends in phase {@code Failed} whatever
 *       its {@code restartPolicy} (for pods with {@code restartPolicy: Never} the same as {@code crash-loop});
 *       {@link EmbeddedKubernetes} treats {@code exit} as {@code crash-loop}.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
 *      HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
 *   // podinfo renders podAnnotations on its pods; a '.' in a key is escaped in a values path
 *   helm.install("web").chart(ChartRef.local(Path.of("charts/podinfo")))
 *       .set("podAnnotations." + WorkloadFailure.MARKER.replace(".", "\\."), WorkloadFailure.CRASH_LOOP.markerValue())
 *       .run();   // pods crash-loop; with .waitReady() the install fails with ReadinessFailedException
 * }
 * }</pre>
 */
public enum WorkloadFailure {

  /**
   * The container exits with code 1 and is restarted with back-off: the pod is {@code Running} but not ready, its
   * container waits with reason {@code CrashLoopBackOff}, {@code restartCount > 0} and a last state terminated with
   * exit code 1. Pods that run to completion ({@code restartPolicy: Never}) end in phase {@code Failed}, and a Job
   * gets the {@code Failed} condition with reason {@code BackoffLimitExceeded}. Marker value {@code crash-loop}.
   */
  CRASH_LOOP("crash-loop"),

  /**
   * The image cannot be pulled: the pod stays {@code Pending} and its container waits with reason
   * {@code ImagePullBackOff} (on {@link KubernetesControlPlane} first {@code ErrImagePull}, 2-5 s later
   * {@code ImagePullBackOff}). A Job with such a pod stays active, as it would on a cluster. Marker value
   * {@code image-pull-failure}.
   */
  IMAGE_PULL_FAILURE("image-pull-failure"),

  /**
   * The containers run but the readiness probe never passes: the pod is {@code Running} with {@code Ready=False}.
   * For pods that run to completion (Jobs, test hooks) this is treated like {@link #CRASH_LOOP}: they never succeed.
   * Marker value {@code never-ready}.
   */
  NEVER_READY("never-ready");

  /**
   * The pod-template label or annotation key that selects a failure, {@value}; its value is one of the
   * {@link #markerValue()}s.
   */
  public static final String MARKER = "testkit.helmsdk.dev/simulate-failure";

  private final String markerValue;

  WorkloadFailure(String markerValue) {
    this.markerValue = markerValue;
  }

  /**
   * The value of the {@link #MARKER} label or annotation that selects this failure: {@code crash-loop},
   * {@code image-pull-failure} or {@code never-ready}.
   *
   * @return the label value
   */
  public String markerValue() {
    return markerValue;
  }
}
