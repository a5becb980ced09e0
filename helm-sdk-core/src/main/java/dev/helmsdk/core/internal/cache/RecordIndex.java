package dev.helmsdk.core.internal.cache;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The item store of one informer: each Secret kept as a {@link CachedRecord} (never the whole object), and
 * indexed by release for reads. The informer gets back metadata-only Secrets, all it compares (keys and
 * resourceVersions). Writes come from the informer's one thread under its cache's lock; reads from any
 * thread, lock-free, see each release's revisions as an immutable map replaced on every change.
 */
final class RecordIndex implements ItemStore<Secret> {

    static final String SECRET_TYPE = "helm.sh/release.v1";
    static final String AWAITING_READINESS = "helm-sdk.dev/awaiting-readiness";

    private final Map<String, CachedRecord> bySecret = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Integer, CachedRecord>> byRelease = new ConcurrentHashMap<>();
    /** Namespace names shared by all records of a namespace. */
    private final Map<String, String> namespaces = new ConcurrentHashMap<>();
    /** Told the namespace and release of every release record changed, once the index shows the change. */
    private volatile java.util.function.BiConsumer<String, String> onChange = (namespace, release) -> { };

    /** Whom to tell of each change of a release's records (on the informer's thread, in the order of the watch). */
    void onChange(java.util.function.BiConsumer<String, String> listener) {
        this.onChange = listener;
    }

    static String releaseKey(String namespace, String release) {
        return namespace + "/" + release;
    }

    /** The revisions of a release, by revision; empty when it has none. */
    NavigableMap<Integer, CachedRecord> revisions(String namespace, String release) {
        return byRelease.getOrDefault(releaseKey(namespace, release), Collections.emptyNavigableMap());
    }

    /** Every release's revisions, in {@code namespace} or everywhere when {@code null}. */
    Stream<NavigableMap<Integer, CachedRecord>> releases(String namespace) {
        return byRelease.values().stream().filter(m -> !m.isEmpty() && (namespace == null || m.firstEntry().getValue().namespace().equals(namespace)));
    }

    @Override
    public String getKey(Secret obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public synchronized Secret put(String key, Secret obj) {
        CachedRecord r = compact(obj);
        CachedRecord old = bySecret.put(key, r);
        if (old != null) {
            unindex(old);
        }
        if (r.isRelease()) {
            byRelease.compute(releaseKey(r.namespace(), r.release()), (k, m) -> {
                TreeMap<Integer, CachedRecord> copy = m == null ? new TreeMap<>() : new TreeMap<>(m);
                copy.put(r.revision(), r);
                return Collections.unmodifiableNavigableMap(copy);
            });
        }
        if (old != null && !java.util.Objects.equals(old.release(), r.release())) {
            changed(old);   // relabelled: the release it left changed too
        }
        changed(r);
        return old == null ? null : skeleton(old);
    }

    @Override
    public synchronized Secret remove(String key) {
        CachedRecord old = bySecret.remove(key);
        if (old == null) {
            return null;
        }
        unindex(old);
        changed(old);
        return skeleton(old);
    }

    private void changed(CachedRecord r) {
        if (r != null && r.isRelease()) {
            onChange.accept(r.namespace(), r.release());
        }
    }

    private void unindex(CachedRecord old) {
        if (!old.isRelease()) {
            return;
        }
        byRelease.computeIfPresent(releaseKey(old.namespace(), old.release()), (k, m) -> {
            if (m.get(old.revision()) != old) {
                return m;
            }
            TreeMap<Integer, CachedRecord> copy = new TreeMap<>(m);
            copy.remove(old.revision());
            return copy.isEmpty() ? null : Collections.unmodifiableNavigableMap(copy);
        });
    }

    @Override
    public Stream<String> keySet() {
        return bySecret.keySet().stream();
    }

    @Override
    public Stream<Secret> values() {
        return bySecret.values().stream().map(RecordIndex::skeleton);
    }

    @Override
    public int size() {
        return bySecret.size();
    }

    @Override
    public Secret get(String key) {
        CachedRecord r = bySecret.get(key);
        return r == null ? null : skeleton(r);
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    /** What the cache keeps of a Secret: a release record's labels, mark and compressed record; of another Secret, its name. */
    private CachedRecord compact(Secret s) {
        var meta = s.getMetadata();
        String ns = namespaces.computeIfAbsent(meta.getNamespace(), n -> n);
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String release = labels.get("name");
        if (!SECRET_TYPE.equals(s.getType()) || release == null) {
            return new CachedRecord(ns, meta.getName(), null, 0, null, meta.getResourceVersion(), null, null, new CachedRecord.Memo());
        }
        String data = s.getData() == null ? null : s.getData().get("release");
        byte[] payload = null;
        if (data != null) {
            try {
                payload = Base64.getDecoder().decode(Base64.getDecoder().decode(data.trim()));
            } catch (IllegalArgumentException e) {
                payload = new byte[0];   // not Helm's encoding: decoding it on read reports the damaged record
            }
        }
        Map<String, String> annotations = meta.getAnnotations();
        return new CachedRecord(ns, meta.getName(), release, parseInt(labels.get("version")), labels.get("status"),
                meta.getResourceVersion(), annotations == null ? null : annotations.get(AWAITING_READINESS), payload, new CachedRecord.Memo());
    }

    /** The metadata the informer compares: namespace, name, resourceVersion. */
    private static Secret skeleton(CachedRecord r) {
        return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(r.namespace()).withName(r.secretName())
                .withResourceVersion(r.resourceVersion()).build()).build();
    }

    static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
