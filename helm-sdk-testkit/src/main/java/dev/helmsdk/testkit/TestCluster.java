package dev.helmsdk.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A Kubernetes API to test against: the in-process {@link EmbeddedKubernetes} (fast, simulated)
 * or a real control plane. Tests written against this interface run on either.
 */
public interface TestCluster extends AutoCloseable {

    /** A kubeconfig file with full (admin) access. */
    Path kubeConfigPath();

    /** The same kubeconfig as text. */
    String kubeConfigYaml();

    /** A fabric8 client with full access; closed with the cluster. */
    KubernetesClient client();

    /** The API server's URL. */
    URI url();

    /**
     * API requests made by clients of this cluster (not by its own controllers), oldest first, as an
     * immutable snapshot.
     */
    List<RecordedRequest> requests();

    /** Forgets the requests recorded so far. */
    void clearRequests();

    /** Stops the cluster and removes its files. Idempotent. */
    @Override
    void close();
}
