package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.report.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the {@link ServerView} of a dry run once for all the checks that need it: per rendered object one GET of the
 * live object and one server-side apply dry run ({@code dryRun=All}, field manager {@value #FIELD_MANAGER}, conflicts
 * forced), sent in parallel on a small pool; CustomResourceDefinitions first. Objects of the
 * deployed revision that are no longer rendered are read too (one GET each), for the diff's removed objects.
 */
public final class ServerReads {

    /**
     * The field manager of the {@code helm} command line, Helm 3 and 4 alike (its {@code main} sets
     * {@code kube.ManagedFieldsManager = "helm"}; unset, Helm uses its binary's name).
     */
    static final String FIELD_MANAGER = "helm";
    /** Requests in flight at once: enough that a chart's objects take one round trip or two, few enough for any server. */
    private static final int PARALLEL = 8;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerReads.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String CRD = "CustomResourceDefinition";

    private final List<Slot> slots = new ArrayList<>();

    private record Slot(WeakReference<CheckContext> context, CompletableFuture<ServerView> view) {
    }

    /** The view of {@code context}, read on first use; the checks of the same dry run share it. */
    ServerView of(CheckContext context) {
        CompletableFuture<ServerView> mine;
        boolean read = false;
        synchronized (slots) {
            mine = null;
            for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
                Slot s = it.next();
                CheckContext c = s.context().get();
                if (c == null) {
                    it.remove();
                } else if (c == context) {
                    mine = s.view();
                }
            }
            if (mine == null) {
                mine = new CompletableFuture<>();
                slots.add(new Slot(new WeakReference<>(context), mine));
                read = true;
            }
        }
        if (read) {
            try {
                mine.complete(read(context));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return mine.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static ServerView read(CheckContext context) {
        KubernetesClient client = context.client().orElseThrow();
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        List<HasMetadata> rendered = new ArrayList<>();
        Set<String> crdKinds = new HashSet<>();
        for (Map<String, Object> object : context.objects()) {
            typed(object, context.namespace(), serialization).ifPresent(rendered::add);
            if (CRD.equals(object.get("kind"))) {
                crdKinds.add(crdKind(object));
            }
        }
        Set<String> renderedIds = new HashSet<>();
        rendered.forEach(o -> renderedIds.add(id(o)));
        List<HasMetadata> gone = new ArrayList<>();
        Map<String, Map<String, Object>> deployedIds = new java.util.HashMap<>();
        for (Map<String, Object> object : deployed(context)) {
            typed(object, context.namespace(), serialization).ifPresent(o -> {
                deployedIds.put(id(o), map(serialization, o));
                if (!renderedIds.contains(id(o))) {
                    gone.add(o);
                }
            });
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, rendered.size() + gone.size())),
                daemon(context.releaseName()));
        try {
            List<Future<Optional<Map<String, Object>>>> goneLive = gone.stream().map(o -> pool.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(() -> get(client, o)))).toList();
            // CRDs are applied first, so that a custom resource's kind is known when the chart has both and the CRD is live
            List<ServerView.Entry> entries = new ArrayList<>(readAll(client, pool, rendered.stream().filter(o -> CRD.equals(o.getKind())).toList(),
                    crdKinds, deployedIds, context));
            entries.addAll(readAll(client, pool, rendered.stream().filter(o -> !CRD.equals(o.getKind())).toList(), crdKinds,
                    deployedIds, context));
            List<ObjectRef> removed = new ArrayList<>();
            for (int i = 0; i < gone.size(); i++) {
                Optional<Map<String, Object>> live = join(goneLive.get(i));
                if (live.isPresent() && !kept(live.get())) {
                    removed.add(ref(gone.get(i)));
                }
            }
            LOG.debug("dry run of release '{}': {} objects applied with dryRun=All and read, {} removed ones read: {} requests in {} ms",
                    context.releaseName(), rendered.size(), gone.size(), 2 * rendered.size() + gone.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return new ServerView(entries, removed);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<ServerView.Entry> readAll(KubernetesClient client, ExecutorService pool, List<HasMetadata> objects,
                                                  Set<String> crdKinds, Map<String, Map<String, Object>> deployedIds, CheckContext context) {
        List<Future<Optional<Map<String, Object>>>> lives = new ArrayList<>();
        List<Future<Object>> applies = new ArrayList<>();
        for (HasMetadata o : objects) {
            lives.add(pool.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(() -> get(client, o))));
            applies.add(pool.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(() -> apply(client, o))));
        }
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        List<ServerView.Entry> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            Optional<Map<String, Object>> live = join(lives.get(i));
            Object answer = join(applies.get(i));
            Map<String, Object> renderedMap = map(serialization, o);
            Optional<Map<String, Object>> applied = Optional.empty();
            Optional<ServerView.Refusal> refusal = Optional.empty();
            Optional<String> skipped = Optional.empty();
            if (answer instanceof KubernetesClientException e) {
                Status status = e.getStatus();
                String detailsKind = status == null || status.getDetails() == null ? "" : String.valueOf(status.getDetails().getKind());
                if (e.getCode() == 404 && "namespaces".equals(detailsKind)) {
                    skipped = Optional.of("its namespace '" + o.getMetadata().getNamespace() + "' does not exist yet");
                } else if (e.getCode() == 404 && crdKinds.contains(o.getKind() + "|" + group(o.getApiVersion()))) {
                    skipped = Optional.of("its CustomResourceDefinition is in the same chart and not installed yet");
                } else {
                    refusal = Optional.of(refusal(e, context));
                }
            } else if (answer instanceof HasMetadata h) {
                applied = Optional.of(map(serialization, h));
            }
            out.add(new ServerView.Entry(ref(o), renderedMap, live, applied, refusal, skipped,
                    Optional.ofNullable(deployedIds.get(id(o)))));
        }
        return out;
    }

    private static Optional<Map<String, Object>> get(KubernetesClient client, HasMetadata o) {
        HasMetadata live = client.resource(o).get();
        return live == null ? Optional.empty() : Optional.of(map(client.getKubernetesSerialization(), live));
    }

    /** The dry run's answer, or the refusal as a value: one object's refusal is a finding, not a failure of the rest. */
    private static Object apply(KubernetesClient client, HasMetadata o) {
        try {
            return client.resource(o).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 0 || e.getCode() == 401) {
                throw e;    // the cluster is unreachable, or we are not who we say: the check cannot run at all
            }
            return e;
        }
    }

    /**
     * {@code object} applied for real as the dry run applies it (server-side, field manager {@value #FIELD_MANAGER},
     * conflicts forced), a namespaced one in {@code namespace} when it names none: what drift correction sends.
     */
    static void applyForReal(KubernetesClient client, Map<String, Object> object, String namespace) {
        HasMetadata o = typed(object, namespace, client.getKubernetesSerialization())
                .orElseThrow(() -> new IllegalArgumentException("not a Kubernetes object: no kind, apiVersion or name"));
        client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    private static ServerView.Refusal refusal(KubernetesClientException e, CheckContext context) {
        Status status = e.getStatus();
        String message = status != null && status.getMessage() != null ? status.getMessage() : String.valueOf(e.getMessage());
        List<ServerView.Cause> causes = new ArrayList<>();
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
            for (StatusCause c : status.getDetails().getCauses()) {
                causes.add(new ServerView.Cause(Optional.ofNullable(c.getField()).filter(f -> !f.isBlank()).map(JsonPointers::fromFieldPath),
                        context.mask().apply(String.valueOf(c.getMessage()))));
            }
        }
        return new ServerView.Refusal(e.getCode(), context.mask().apply(message), causes);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the cluster", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Helm's {@code helm.sh/resource-policy: keep}: Helm leaves the object when the chart no longer renders it. */
    private static boolean kept(Map<String, Object> live) {
        Object meta = live.get("metadata");
        Object annotations = meta instanceof Map<?, ?> m ? m.get("annotations") : null;
        return annotations instanceof Map<?, ?> a && "keep".equals(a.get("helm.sh/resource-policy"));
    }

    private static List<Map<String, Object>> deployed(CheckContext context) {
        try {
            return KubeObjects.deployed(context);
        } catch (java.io.UncheckedIOException e) {
            // Helm wrote it; one that does not parse leaves the removed objects unknown, not the dry run failed
            return List.of();
        }
    }

    /** fabric8's model object for {@code object} (generic for custom kinds), namespaced ones in the release namespace. */
    private static Optional<HasMetadata> typed(Map<String, Object> object, String namespace, KubernetesSerialization serialization) {
        if (!(object.get("metadata") instanceof Map<?, ?>) || object.get("kind") == null || object.get("apiVersion") == null) {
            return Optional.empty();
        }
        KubernetesResource r = serialization.convertValue(object, KubernetesResource.class);
        if (!(r instanceof HasMetadata h) || h.getMetadata() == null || h.getMetadata().getName() == null) {
            return Optional.empty();
        }
        boolean namespaced = h instanceof Namespaced || h instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource;
        if (namespaced && (h.getMetadata().getNamespace() == null || h.getMetadata().getNamespace().isEmpty())) {
            h.getMetadata().setNamespace(namespace);
        }
        return Optional.of(h);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(KubernetesSerialization serialization, HasMetadata o) {
        return new LinkedHashMap<>(serialization.convertValue(o, Map.class));
    }

    static ObjectRef ref(HasMetadata o) {
        String ns = o instanceof Namespaced || o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource
                ? String.valueOf(o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace()) : "";
        return new ObjectRef(o.getApiVersion(), o.getKind(), ns, o.getMetadata().getName());
    }

    private static String id(HasMetadata o) {
        return group(o.getApiVersion()) + "|" + o.getKind() + "|" + ref(o).namespace() + "|" + o.getMetadata().getName();
    }

    private static String group(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static String crdKind(Map<String, Object> crd) {
        Object spec = crd.get("spec");
        if (spec instanceof Map<?, ?> s && s.get("names") instanceof Map<?, ?> n) {
            return n.get("kind") + "|" + s.get("group");
        }
        return "";
    }

    private static ThreadFactory daemon(String release) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "helm-sdk-dry-run-" + release + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
