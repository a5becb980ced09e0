package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Waits until the resources of a release are ready, with kstatus's meaning of ready per kind
 * ({@link KindEvaluators}), and fails as soon as failure is certain rather than at the deadline.
 *
 * <p>It polls with fabric8 every {@link ReadinessOptions#pollInterval()}: per kind and namespace one LIST when the
 * release has several objects of that kind (a GET when it has one; Secrets always by GET, so that Helm's release
 * records are not listed), and, while a workload is not ready, one LIST of pods (and of ReplicaSets for Deployments),
 * narrowed to the workload's selector when it is the only one waiting in its namespace. Objects whose readiness is
 * their existence are not read again once found. Failure is certain when:
 * <ul>
 *   <li>a status says so: Job {@code Failed}, Deployment {@code ProgressDeadlineExceeded}, Pod phase {@code Failed},
 *       PVC {@code Lost}, CRD names not accepted, a custom resource {@code Stalled};</li>
 *   <li>a current pod of a workload that is not ready shows {@code CrashLoopBackOff} (except a Job's: its
 *       backoffLimit decides), {@code ImagePullBackOff}, {@code InvalidImageName} or {@code ErrImageNeverPull};
 *       {@code ErrImagePull}, {@code CreateContainerConfigError} or {@code Unschedulable} once they have lasted their
 *       {@linkplain ReadinessOptions grace period}. For a Deployment the current pods are those of its newest
 *       ReplicaSet, so an old ReplicaSet's pods never fail a rollout.</li>
 * </ul>
 *
 * <p>Thread-safe and stateless between calls. The wait runs on the calling thread; interrupting it ends the wait with a
 * {@link ReadinessInterruptedException} (the interrupt flag set again). A single API request is bounded by the
 * client's own request timeout (given by the requests supplier: the operation's remaining time, in the SDK).
 */
public final class ReadinessWaiter {

    private final KubernetesClient client;
    private final Supplier<KubernetesClient> requests;
    private final ReadinessOptions options;

    public ReadinessWaiter(KubernetesClient client) {
        this(client, ReadinessOptions.ofDefaults());
    }

    public ReadinessWaiter(KubernetesClient client, ReadinessOptions options) {
        this(client, () -> client, options);
    }

    /**
     * @param requests gives the client for each request (one bounded by the operation's deadline);
     *                 {@code client} serves only for parsing
     */
    public ReadinessWaiter(KubernetesClient client, Supplier<KubernetesClient> requests, ReadinessOptions options) {
        this.client = Objects.requireNonNull(client, "client");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.options = Objects.requireNonNull(options, "options");
    }

    public ReadinessOptions options() {
        return options;
    }

    /** Like {@link #await(String, String, Duration, ReadinessListener)} without a listener. */
    public ReadinessSnapshot await(String namespace, String manifest, Duration deadline) {
        return await(namespace, manifest, deadline, ReadinessListener.NONE);
    }

    /**
     * Waits until every resource of {@code manifest} is ready.
     *
     * @param namespace the release's namespace: that of objects whose manifest gives none
     * @param manifest  the release's manifest as Helm stores it (multi-document YAML; hooks are not in it)
     * @param deadline  how long to wait at most
     * @param listener  receives progress when it changes; may be {@code null}
     * @return the final snapshot, every resource ready
     * @throws ReadinessException            as soon as some resource will certainly not become ready
     * @throws ReadinessTimeoutException     when the deadline passes first
     * @throws ReadinessInterruptedException when the thread is interrupted
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API refuses to show a status (401, 403);
     *                                       other API errors are retried until the deadline
     */
    public ReadinessSnapshot await(String namespace, String manifest, Duration deadline, ReadinessListener listener) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a namespace is required");
        }
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the readiness deadline must be positive, got " + deadline);
        }
        List<ManifestResources.Declared> declared = ManifestResources.parse(namespace, manifest, client.getKubernetesSerialization());
        return new ReadinessLoop(new Fabric8ClusterReader(requests), declared, options, listener, System::nanoTime,
                ReadinessLoop.THREAD_SLEEP).run(deadline);
    }

    /** The resources {@link #await} would wait for, in manifest order. */
    public List<ResourceKey> resources(String namespace, String manifest) {
        return ManifestResources.parse(namespace, manifest, client.getKubernetesSerialization()).stream()
                .map(ManifestResources.Declared::key).toList();
    }
}
