package dev.helmsdk.testkit;

/**
 * A failure {@link EmbeddedKubernetes} can inject into a workload's pods, with the status a real cluster reports
 * for it. Inject it with {@link EmbeddedKubernetes#simulateFailure(String, String, WorkloadFailure)} or from a chart
 * with the annotation {@code testkit.helmsdk.dev/simulate-failure} ({@code crash-loop}, {@code image-pull-failure},
 * {@code never-ready}) on the workload or its pod template.
 */
public enum WorkloadFailure {

  /**
   * The container exits with code 1 and is restarted with back-off: the pod is {@code Running} but not ready, its
   * container waits with reason {@code CrashLoopBackOff}, {@code restartCount > 0} and a last state terminated with
   * exit code 1. Pods that run to completion ({@code restartPolicy: Never}) end in phase {@code Failed}, and a Job
   * gets the {@code Failed} condition with reason {@code BackoffLimitExceeded}.
   */
  CRASH_LOOP,

  /**
   * The image cannot be pulled: the pod stays {@code Pending} and its container waits with reason
   * {@code ImagePullBackOff}. A Job with such a pod stays active, as it would on a cluster.
   */
  IMAGE_PULL_FAILURE,

  /**
   * The containers run but the readiness probe never passes: the pod is {@code Running} with {@code Ready=False}.
   * For pods that run to completion (Jobs, test hooks) this is treated like {@link #CRASH_LOOP}: they never succeed.
   */
  NEVER_READY
}
