package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

import java.io.File;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * The fabric8 side of the cluster resolvers (only loaded once {@link Fabric8Check} passed): which
 * client a reference reads through, reading a Secret's or ConfigMap's data, and what a failed
 * request means. The manager's connection is used as given (it is bounded by the operation's
 * deadline already); a {@code ?kubeContext=} / {@code ?kubeConfigPath=} reference reads through a
 * client built once per kubeconfig context and kept until {@link #close()}.
 */
final class KubeBackend implements AutoCloseable {

    static final String KUBE_CONTEXT = "kubeContext";
    static final String KUBE_CONFIG_PATH = "kubeConfigPath";
    private static final Set<String> PARAMS = Set.of(KUBE_CONTEXT, KUBE_CONFIG_PATH);

    private record ClientKey(String kubeConfigPath, String context) {
    }

    private final SecretResolver owner;
    private final Map<ClientKey, KubernetesClient> owned = new HashMap<>();
    private boolean closed;

    KubeBackend(SecretResolver owner) {
        this.owner = owner;
    }

    /** The client {@code reference} reads through, its requests ending within the context's time left. */
    KubernetesClient client(SecretReference reference, SecretContext context) {
        for (String param : reference.params().keySet()) {
            if (!PARAMS.contains(param)) {
                throw fail(reference, context, Reason.INVALID_REFERENCE, "unknown parameter '" + param + "': the parameters are "
                        + KUBE_CONTEXT + " and " + KUBE_CONFIG_PATH
                        + ("inCluster".equals(param) ? " (without them the manager's own connection is used, in a pod its in-cluster one)" : ""));
            }
        }
        Optional<String> kubeContext = reference.param(KUBE_CONTEXT);
        Optional<String> kubeConfigPath = reference.param(KUBE_CONFIG_PATH);
        if (kubeContext.isEmpty() && kubeConfigPath.isEmpty()) {
            return context.connection(KubernetesClient.class).orElseThrow(() -> fail(reference, context, Reason.INVALID_REFERENCE,
                    "the manager offers no cluster connection to resolvers (one built by HelmSdk does); name a kubeconfig context"
                            + " with ?" + KUBE_CONTEXT + "=<context>"));
        }
        if (kubeContext.filter(String::isEmpty).isPresent() || kubeConfigPath.filter(String::isEmpty).isPresent()) {
            throw fail(reference, context, Reason.INVALID_REFERENCE, "an empty " + KUBE_CONTEXT + " or " + KUBE_CONFIG_PATH);
        }
        KubernetesClient base = owned(new ClientKey(kubeConfigPath.orElse(null), kubeContext.orElse(null)), reference, context);
        long millis = context.timeLeft().toMillis();
        if (millis <= 0) {
            throw fail(reference, context, Reason.TIMEOUT, "the operation's time ran out before the cluster was asked");
        }
        // As the manager bounds its own: fabric8's request timeout set to the time left, so the exchange ends then.
        RequestConfig bounded = new RequestConfigBuilder(base.getConfiguration().getRequestConfig())
                .withRequestTimeout((int) Math.min(Integer.MAX_VALUE, millis)).build();
        return base.newClient(bounded).adapt(KubernetesClient.class);
    }

    private KubernetesClient owned(ClientKey key, SecretReference reference, SecretContext context) {
        synchronized (owned) {
            if (closed) {
                throw new IllegalStateException(owner + " is closed");
            }
            KubernetesClient existing = owned.get(key);
            if (existing != null) {
                return existing;
            }
            String where = key.kubeConfigPath() != null ? "kubeconfig " + key.kubeConfigPath()
                    : "the kubeconfig (KUBECONFIG, or ~/.kube/config)";
            Config config;
            try {
                if (key.kubeConfigPath() != null) {
                    File file = new File(key.kubeConfigPath());
                    if (!file.isFile()) {
                        throw fail(reference, context, Reason.INVALID_REFERENCE, where + " is not a file");
                    }
                    config = Config.fromKubeconfig(key.context(), file);
                } else {
                    config = Config.autoConfigure(key.context());
                }
            } catch (KubernetesClientException | IllegalArgumentException e) {
                // fabric8's text may quote the file: only what failed goes into ours.
                throw fail(reference, context, Reason.INVALID_REFERENCE, "cannot read " + where + " (" + e.getClass().getSimpleName() + ")");
            }
            if (key.context() != null && (config.getCurrentContext() == null || !key.context().equals(config.getCurrentContext().getName()))) {
                throw fail(reference, context, Reason.INVALID_REFERENCE, "no context '" + key.context() + "' in " + where);
            }
            // No retries with backoff: each request is bounded by the time left, its retries would not be; a failure is
            // retryable() for the caller to decide.
            config.setRequestRetryBackoffLimit(0);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            owned.put(key, client);
            return client;
        }
    }

    /**
     * The data of a {@code Secret} (base64-decoded to UTF-8 text) or {@code ConfigMap} ({@code data}
     * and {@code binaryData}); empty when there is no such object.
     */
    Optional<Map<String, String>> data(String kind, String namespace, String name, SecretReference reference, SecretContext context) {
        KubernetesClient client = client(reference, context);
        try {
            if ("Secret".equals(kind)) {
                Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
                return Optional.ofNullable(secret).map(s -> decoded(s.getData()));
            }
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
            if (map == null) {
                return Optional.empty();
            }
            Map<String, String> data = new TreeMap<>(decoded(map.getBinaryData()));
            if (map.getData() != null) {
                data.putAll(map.getData());
            }
            return Optional.of(data);
        } catch (KubernetesClientException e) {
            throw failure(e, "get " + kind + " " + namespace + "/" + name, reference, context);
        }
    }

    private static Map<String, String> decoded(Map<String, String> base64) {
        Map<String, String> out = new LinkedHashMap<>();
        if (base64 != null) {
            base64.forEach((k, v) -> out.put(k, new String(Base64.getMimeDecoder().decode(v == null ? "" : v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /**
     * The value {@code key} names in {@code data} of object {@code what}, or (no key) the whole data
     * with the reference's fragment applied. Names the missing key, never the keys there are.
     */
    Object select(Map<String, String> data, String key, String what, SecretReference reference, SecretContext context) {
        if (key != null) {
            if (!data.containsKey(key)) {
                throw fail(reference, context, Reason.MISSING_KEY, what + " has no key '" + key + "'");
            }
            return data.get(key);
        }
        return reference.select(data).orElseThrow(() -> fail(reference, context, Reason.MISSING_KEY,
                what + " has no key " + reference.fragment().orElseThrow()));
    }

    /** What a failed request means: 401/403 denied, 5xx and refused or unresolvable connections unreachable, time out timeout. */
    SecretResolutionException failure(KubernetesClientException e, String request, SecretReference reference, SecretContext context) {
        int code = e.getCode();
        if (code == 401 || code == 403) {
            return fail(reference, context, Reason.DENIED, "the API server refused to " + request + " (HTTP " + code + "): the identity"
                    + " it reads with may not; grant it in RBAC, or name a kubeconfig context that may with ?" + KUBE_CONTEXT + "=");
        }
        if (code == 404) {
            return fail(reference, context, Reason.NOT_FOUND, "cannot " + request + ": not found (HTTP 404)");
        }
        if (code >= 400) {
            return fail(reference, context, Reason.UNREACHABLE, "cannot " + request + ": the API server answered HTTP " + code);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException || t instanceof TimeoutException
                    || t instanceof java.net.http.HttpTimeoutException) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return fail(reference, context, Reason.TIMEOUT, "the operation's time ran out during the request to " + request);
            }
        }
        if (context.timeLeft().isZero()) {
            return fail(reference, context, Reason.TIMEOUT, "the operation's time ran out during the request to " + request);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root instanceof ConnectException || root instanceof UnknownHostException
                ? root.getClass().getSimpleName() + ": " + root.getMessage() : root.getClass().getSimpleName();
        return fail(reference, context, Reason.UNREACHABLE, "cannot " + request + ": the API server could not be reached (" + why + ")");
    }

    SecretResolutionException fail(SecretReference reference, SecretContext context, Reason reason, String detail) {
        return SecretResolutionException.of(context, reference, owner, reason, detail);
    }

    /** Closes the clients built for kubeconfig contexts (never the manager's connection). */
    @Override
    public void close() {
        synchronized (owned) {
            closed = true;
            owned.values().forEach(KubernetesClient::close);
            owned.clear();
        }
    }
}
