package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Helm's release records (Secret driver) through the Kubernetes API, in pure Java.
 * Helm's history comes unsorted; everything here is sorted by revision.
 */
final class ReleaseStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReleaseStore.class);

    /** Annotation on a release Secret whose revision is deployed but not yet confirmed ready; see {@link AwaitingReadiness}. */
    public static final String AWAITING_READINESS = "helm-sdk.dev/awaiting-readiness";

    private final BoundedClient kube;
    private final ObjectMapper mapper;
    /** Told of every LIST of one release's records, for the release cache's read-your-writes; or {@code null}. */
    private final dev.helmsdk.core.internal.cache.WatchedReleases cache;

    /** A store whose requests are not bounded (for tools and tests). */
    public ReleaseStore(KubernetesClient client, ObjectMapper mapper) {
        this(BoundedClient.unbounded(client), mapper);
    }

    /** A store whose every request is bounded by the deadline of the operation that sends it. */
    public ReleaseStore(BoundedClient kube, ObjectMapper mapper) {
        this(kube, mapper, null);
    }

    /** A bounded store whose LISTs of a release's records tell {@code cache} ({@code null}: none) what they found. */
    public ReleaseStore(BoundedClient kube, ObjectMapper mapper, dev.helmsdk.core.internal.cache.WatchedReleases cache) {
        this.kube = kube;
        this.mapper = mapper;
        this.cache = cache;
    }

    /** Every stored revision of a release, oldest first; empty when there is none. */
    public List<StoredRelease> revisions(Operation op, String namespace, String release) {
        List<StoredRelease> out = new ArrayList<>();
        for (Secret s : records(op, namespace, release)) {
            out.add(decode(op, release, s));
        }
        out.sort(Comparator.comparingInt(StoredRelease::revision));
        return out;
    }

    /** One revision (0 = latest), or a not-found error naming what was looked for. */
    public StoredRelease revision(Operation op, String namespace, String release, int revision) {
        if (revision > 0) {
            return decode(op, release, record(op, namespace, release, revision));
        }
        return latest(op, namespace, release).orElseThrow(() -> notFound(op, namespace, release));
    }

    /** The latest revision (one LIST; only that record is decoded: the version label says which), or empty. */
    public Optional<StoredRelease> latest(Operation op, String namespace, String release) {
        return newest(records(op, namespace, release)).map(s -> decode(op, release, s));
    }

    /**
     * From one LIST: the latest revision's status and the revision Helm's upgrade starts from (the
     * last {@code deployed} one, else the latest), decoded alone; empty when the release has none.
     */
    public Optional<UpgradeBase> upgradeBase(Operation op, String namespace, String release) {
        List<Secret> all = records(op, namespace, release);
        return newest(all).map(latest -> {
            ReleaseStatus status = ReleaseStatus.fromHelm(latest.getMetadata().getLabels().get("status"));
            Secret base = status == ReleaseStatus.DEPLOYED ? latest
                    : newest(all.stream().filter(s -> "deployed".equals(s.getMetadata().getLabels().get("status"))).toList())
                            .orElse(latest);
            return new UpgradeBase(status, decode(op, release, base));
        });
    }

    /**
     * What an upgrade check compares against.
     *
     * @param latestStatus the latest revision's status, from its label
     * @param base         the last deployed revision, or the latest when none is deployed
     */
    public record UpgradeBase(ReleaseStatus latestStatus, StoredRelease base) {
    }

    private static Optional<Secret> newest(List<Secret> records) {
        return records.stream().max(Comparator.comparingInt(s -> parseInt(s.getMetadata().getLabels().get("version"))));
    }

    /**
     * Records {@code given} as a revision's user-supplied values ({@code config}, what
     * {@code helm get values} shows) in place of the values Helm was given, the secret references
     * instead of what they resolved to. With {@code revision} 0, the latest revision if its values are
     * {@code applied}: the one a change that just failed wrote, if it wrote one.
     *
     * @return whether a record was rewritten
     */
    public boolean recordValues(Operation op, String namespace, String release, int revision, Map<String, Object> applied,
                                Map<String, Object> given) {
        Secret secret;
        if (revision > 0) {
            secret = record(op, namespace, release, revision);
        } else {
            Optional<Secret> latest = newest(records(op, namespace, release));
            if (latest.isEmpty()) {
                return false;
            }
            secret = latest.get();
        }
        try {
            StoredRelease r = StoredRelease.decodeSecretData(secret.getData().get("release"), mapper);
            // Compared as JSON read back, so numbers have the types Helm's record gives them.
            if (revision == 0 && !mapper.readTree(mapper.writeValueAsBytes(applied)).equals(r.configTree())) {
                return false;
            }
            secret.getData().put("release", r.withConfig(given, mapper).encodeSecretData(mapper));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode " + secret.getMetadata().getName() + ": " + e.getMessage(), e);
        }
        call(op, release, () -> kube.get().secrets().inNamespace(namespace).resource(secret).update());
        return true;
    }

    /** The Secret of one revision, or a not-found error naming it. */
    private Secret record(Operation op, String namespace, String release, int revision) {
        Secret s = call(op, release, () -> kube.get().secrets().inNamespace(namespace)
                .withName(StoredRelease.secretName(release, revision)).get());
        if (s == null) {
            throw new ReleaseNotFoundException(op, release,
                    "release '" + release + "' has no revision " + revision + " in namespace '" + namespace + "'");
        }
        return s;
    }

    private List<Secret> records(Operation op, String namespace, String release) {
        long startedAt = cache == null ? 0 : cache.clock();
        io.fabric8.kubernetes.api.model.SecretList list = call(op, release, () -> kube.get().secrets().inNamespace(namespace)
                .withLabels(Map.of("owner", "helm", "name", release)).list());
        if (cache != null) {
            cache.listed(namespace, release, startedAt, list);
        }
        return list.getItems().stream().filter(s -> StoredRelease.SECRET_TYPE.equals(s.getType())).toList();
    }

    /**
     * Tells the release cache what a change of the release that just ended left, by one LIST of its records, so
     * the cache answers for the release again as soon as its watch has delivered that, read or not; a failed LIST
     * leaves it to the next read's.
     */
    public void settleCache(Operation op, String namespace, String release) {
        if (cache == null) {
            return;
        }
        try {
            records(op, namespace, release);
        } catch (RuntimeException e) {
            LOG.debug("Release cache: the LIST after a change of {}/{} failed; the next read's LIST will say what to wait for: {}",
                    namespace, release, e.toString());
        }
    }

    /** The status of every stored revision, oldest first, read from the records' labels (nothing is decoded). */
    public java.util.SortedMap<Integer, ReleaseStatus> statuses(Operation op, String namespace, String release) {
        java.util.SortedMap<Integer, ReleaseStatus> out = new java.util.TreeMap<>();
        for (Secret s : records(op, namespace, release)) {
            Map<String, String> labels = s.getMetadata().getLabels();
            out.put(parseInt(labels.get("version")), ReleaseStatus.fromHelm(labels.get("status")));
        }
        return out;
    }

    /**
     * Marks a revision {@code failed} with a description saying why, in its record and its labels,
     * as Helm would have had the process that left it pending not died.
     */
    public void markFailed(Operation op, String namespace, String release, int revision, String description) {
        rewrite(op, namespace, release, revision, "failed", description, null, false);
    }

    /**
     * Sets a revision's status in its record and its {@code status} label, as Helm's storage does;
     * {@code description} {@code null} keeps the recorded one, and an awaiting-readiness mark stays.
     */
    public void setStatus(Operation op, String namespace, String release, int revision, ReleaseStatus status, String description) {
        rewrite(op, namespace, release, revision, status.helmName(), description, null, true);
    }

    /**
     * Marks a revision that Helm recorded {@code deployed} as not yet confirmed ready: until
     * {@link #clearAwaitingReadiness} or {@link #markFailed} it is {@code pending-install} /
     * {@code pending-upgrade} in its record and labels, as Helm's {@code --wait} keeps it, and carries
     * {@link #AWAITING_READINESS}. So a process killed during the wait leaves a pending revision, which
     * Helm refuses to change over and stuck-release handling deals with, not one that looks deployed.
     */
    public StoredRelease markAwaitingReadiness(Operation op, String namespace, String release, int revision, AwaitingReadiness mark) {
        return rewrite(op, namespace, release, revision, mark.pendingStatus(), null, mark.encode(), false);
    }

    /** The revision was confirmed ready: {@code deployed} again, as Helm recorded it; returns the record as written. */
    public StoredRelease clearAwaitingReadiness(Operation op, String namespace, String release, int revision) {
        return rewrite(op, namespace, release, revision, "deployed", null, null, false);
    }

    /**
     * Rewrites a revision's status (record and label), its description ({@code null}: kept) and the
     * awaiting-readiness mark ({@code null}: removed; or kept as it is with {@code keepMark}): a GET and an update, each bounded on its own
     * (fabric8's edit() would send both under one timeout). Returns the record as the update stored it.
     */
    private StoredRelease rewrite(Operation op, String namespace, String release, int revision, String status, String description, String mark,
                         boolean keepMark) {
        Secret secret = record(op, namespace, release, revision);
        try {
            StoredRelease r = StoredRelease.decodeSecretData(secret.getData().get("release"), mapper);
            secret.getData().put("release", r.withStatus(status, description == null ? r.description() : description).encodeSecretData(mapper));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode " + secret.getMetadata().getName() + ": " + e.getMessage(), e);
        }
        secret.getMetadata().getLabels().put("status", status);
        if (keepMark) {
            return decode(op, release, call(op, release, () -> kube.get().secrets().inNamespace(namespace).resource(secret).update()));
        }
        Map<String, String> annotations = new java.util.HashMap<>(
                secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations());
        if (mark == null) {
            annotations.remove(AWAITING_READINESS);
        } else {
            annotations.put(AWAITING_READINESS, mark);
        }
        secret.getMetadata().setAnnotations(annotations);
        return decode(op, release, call(op, release, () -> kube.get().secrets().inNamespace(namespace).resource(secret).update()));
    }

    private static Optional<AwaitingReadiness> awaitingOf(Secret s) {
        Map<String, String> a = s.getMetadata().getAnnotations();
        return a == null || a.get(AWAITING_READINESS) == null ? Optional.empty()
                : AwaitingReadiness.decode(parseInt(s.getMetadata().getLabels().get("version")), a.get(AWAITING_READINESS));
    }

    /**
     * Gives the listed revisions the statuses in {@code wanted}, writing only the records whose
     * stored status differs (descriptions are kept). Revisions no longer stored are skipped.
     */
    public void restoreStatuses(Operation op, String namespace, String release, Map<Integer, ReleaseStatus> wanted) {
        for (Map.Entry<Integer, ReleaseStatus> now : statuses(op, namespace, release).entrySet()) {
            ReleaseStatus want = wanted.get(now.getKey());
            if (want != null && want != now.getValue()) {
                setStatus(op, namespace, release, now.getKey(), want, null);
            }
        }
    }

    /**
     * Deletes the oldest revision records until at most {@code max} remain, never a {@code deployed}
     * one, as Helm's {@code --history-max} does.
     *
     * @return how many records were deleted
     */
    public int pruneHistory(Operation op, String namespace, String release, int max) {
        return prune(op, namespace, release, records(op, namespace, release), max).size();
    }

    /**
     * Prunes as {@link #pruneHistory} does, and returns {@code revision} as the same LIST found it: after a change
     * whose history needs pruning, reading back the new revision costs no request of its own.
     */
    public StoredRelease pruneHistoryAndGet(Operation op, String namespace, String release, int max, int revision) {
        List<Secret> all = records(op, namespace, release);
        List<Secret> deleted = prune(op, namespace, release, all, max);
        String name = StoredRelease.secretName(release, revision);
        return all.stream().filter(s -> name.equals(s.getMetadata().getName()) && !deleted.contains(s)).findFirst()
                .map(s -> decode(op, release, s))
                .orElseThrow(() -> new ReleaseNotFoundException(op, release,
                        "release '" + release + "' has no revision " + revision + " in namespace '" + namespace + "'"));
    }

    /** Deletes the oldest non-deployed records of {@code records} until at most {@code max} remain; returns those deleted. */
    private List<Secret> prune(Operation op, String namespace, String release, List<Secret> records, int max) {
        List<Secret> all = new ArrayList<>(records);
        all.sort(Comparator.comparingInt(s -> parseInt(s.getMetadata().getLabels().get("version"))));
        int excess = all.size() - max;
        List<Secret> deleted = new ArrayList<>();
        for (Secret s : all) {
            if (deleted.size() >= excess) {
                break;
            }
            if (!"deployed".equals(s.getMetadata().getLabels().get("status"))) {
                call(op, release, () -> kube.get().secrets().inNamespace(namespace).withName(s.getMetadata().getName()).delete());
                deleted.add(s);
            }
        }
        return deleted;
    }

    /** The latest revision of every release in a namespace (or all namespaces when {@code null}). */
    public List<StoredReleaseIn> latestOfEach(Operation op, String namespace) {
        return latestOfEach(op, namespace, Map.of());
    }

    /** As {@link #latestOfEach(Operation, String)}, of the releases whose records also carry {@code labels}. */
    public List<StoredReleaseIn> latestOfEach(Operation op, String namespace, Map<String, String> labels) {
        Map<String, String> selector = new java.util.HashMap<>(labels);
        selector.put("owner", "helm");
        long startedAt = cache == null ? 0 : cache.clock();
        io.fabric8.kubernetes.api.model.SecretList list = call(op, null, () -> (namespace == null
                ? kube.get().secrets().inAnyNamespace().withLabels(selector)
                : kube.get().secrets().inNamespace(namespace).withLabels(selector)).list());
        if (cache != null && labels.isEmpty()) {
            cache.listedAll(namespace, startedAt, list);   // all records of each release: what the cache must show of them
        }
        List<Secret> secrets = list.getItems();
        Map<String, StoredReleaseIn> latest = new java.util.TreeMap<>();
        for (Secret s : secrets) {
            if (!StoredRelease.SECRET_TYPE.equals(s.getType())) {
                continue;
            }
            String ns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getLabels().getOrDefault("name", "");
            int version = parseInt(s.getMetadata().getLabels().get("version"));
            String key = ns + "/" + name;
            StoredReleaseIn seen = latest.get(key);
            if (seen == null || seen.version < version) {
                latest.put(key, new StoredReleaseIn(ns, version, s));
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** Decodes a listed Secret chosen by {@link #latestOfEach}. */
    public StoredRelease decode(Operation op, StoredReleaseIn in) {
        return decode(op, null, in.secret);
    }

    /** A Secret found by listing, with the labels already parsed. */
    public static final class StoredReleaseIn {
        final String namespace;
        final int version;
        final Secret secret;

        StoredReleaseIn(String namespace, int version, Secret secret) {
            this.namespace = namespace;
            this.version = version;
            this.secret = secret;
        }

        public String namespace() {
            return namespace;
        }
    }

    static ReleaseNotFoundException notFound(Operation op, String namespace, String release) {
        return new ReleaseNotFoundException(op, release,
                "release '" + release + "' not found in namespace '" + namespace + "'");
    }

    private StoredRelease decode(Operation op, String release, Secret s) {
        String data = s.getData() == null ? null : s.getData().get("release");
        if (data == null) {
            throw unreadable(op, release, s.getMetadata().getName(), null);
        }
        try {
            return marked(StoredRelease.decodeSecretData(data, mapper), awaitingOf(s));
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(op, release, s.getMetadata().getName(), e);
        }
    }

    /** Decodes a record the release cache keeps (Helm's bytes, and the awaiting-readiness mark or {@code null}), as {@link #decode} does a Secret. */
    StoredRelease decodeCached(Operation op, String release, String secretName, int revision, byte[] payload, String mark) {
        if (payload == null) {
            throw unreadable(op, release, secretName, null);
        }
        try {
            return marked(StoredRelease.decodeHelmBytes(payload, mapper),
                    mark == null ? Optional.empty() : AwaitingReadiness.decode(revision, mark));
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(op, release, secretName, e);
        }
    }

    private static StoredRelease marked(StoredRelease r, Optional<AwaitingReadiness> awaiting) {
        return awaiting.isPresent() ? r.withStatus(r.status().helmName(), awaiting.get().describe()) : r;
    }

    /** A damaged record, not an API failure: reading it again gives the same bytes, so not retryable. */
    private static HelmSdkException unreadable(Operation op, String release, String secretName, Exception e) {
        return new HelmSdkException(op, release, e == null
                ? "Secret " + secretName + " has no 'release' data; it is not a Helm release record"
                : "Secret " + secretName + " does not hold a readable Helm release record: " + e.getMessage(), e);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static <T> T call(Operation op, String release, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw KubeErrors.translate(op, release, e);
        }
    }
}
