package dev.helmsdk.core.internal.cache;

import dev.helmsdk.api.Operation;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.SecretListBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/**
 * When the cache answers for a release this manager changed, and what it keeps meanwhile, over the class itself: the
 * informer is a stand-in that has listed and watches, its item store the real {@link RecordIndex}, fed as the watch would.
 */
class WatchedReleasesTest {

    private final RecordIndex index = new RecordIndex();
    /** The resourceVersion the watch has passed. */
    private final AtomicLong synced = new AtomicLong();
    private final WatchedReleases cache = new WatchedReleases(Map.of("apps", new WatchedReleases.Watched(informer(), index)), false, null);

    @SuppressWarnings("unchecked")
    private SharedIndexInformer<Secret> informer() {
        SharedIndexInformer<Secret> informer = mock(SharedIndexInformer.class, withSettings().stubOnly());   // keeps no calls
        when(informer.hasSynced()).thenReturn(true);
        when(informer.isWatching()).thenReturn(true);
        when(informer.lastSyncResourceVersion()).thenAnswer(i -> String.valueOf(synced.get()));
        return informer;
    }

    private static Secret record(String release, int revision, long rv) {
        return new SecretBuilder().withNewMetadata().withNamespace("apps").withName("sh.helm.release.v1." + release + ".v" + revision)
                .withResourceVersion(String.valueOf(rv)).addToLabels(Map.of("owner", "helm", "name", release,
                        "version", String.valueOf(revision), "status", "deployed")).endMetadata().withType("helm.sh/release.v1").build();
    }

    private static SecretList listed(long listVersion, Secret... items) {
        return new SecretListBuilder().withMetadata(new ListMetaBuilder().withResourceVersion(String.valueOf(listVersion)).build())
                .withItems(List.of(items)).build();
    }

    /** The watch delivers {@code s} (the store first, then the watch's resourceVersion, as fabric8's reflector does). */
    private void deliver(Secret s) {
        index.put(index.getKey(s), s);
        synced.set(Long.parseLong(s.getMetadata().getResourceVersion()));
    }

    /** One change of the release as the engine makes it: announced, ended, then the LIST of its records it sends last. */
    private void change(String release, long listVersion, Secret... records) {
        cache.writeStarted("apps", release);
        cache.writeEnded("apps", release);
        cache.listed("apps", release, cache.clock(), listed(listVersion, records));
    }

    @Test
    void tenThousandChangesOfReleasesNobodyReadsLeaveNothingPendingOnceTheWatchDeliveredThem() {
        long rv = 100;
        for (int i = 0; i < 10_000; i++) {
            String release = "r" + i;
            Secret installed = record(release, 1, ++rv);
            if (i % 2 == 0) {
                change(release, rv, installed);   // the LIST came back before the watch delivered the change
                deliver(installed);
            } else {
                deliver(installed);               // or after
                change(release, rv, installed);
            }
            Secret upgraded = record(release, 2, ++rv);
            change(release, rv, installed, upgraded);
            deliver(upgraded);
        }
        assertEquals(0, cache.pendingCount(), "no read came, yet the watch caught up with every change");
        assertTrue(cache.releases(Operation.LIST, "apps").isPresent(), "and a list is the cache's to answer");
    }

    @Test
    void aChangeTheWatchHasNotDeliveredKeepsItsReleaseAndTheNamespacesListOnTheApi() {
        Secret installed = record("web", 1, 10);
        deliver(installed);
        Secret upgraded = record("web", 2, 11);
        change("web", 11, installed, upgraded);
        assertTrue(cache.release(Operation.STATUS, "apps", "web").isEmpty(), "revision 2 not in the cache yet: read the API");
        assertTrue(cache.releases(Operation.LIST, "apps").isEmpty(), "nor may a list of its namespace answer");
        assertTrue(cache.release(Operation.STATUS, "apps", "other").isPresent(), "another release is the cache's");
        assertEquals(1, cache.pendingCount());
        deliver(upgraded);
        assertEquals(0, cache.pendingCount());
        assertEquals(2, cache.release(Operation.STATUS, "apps", "web").orElseThrow().lastKey());
        assertTrue(cache.releases(Operation.LIST, "apps").isPresent());
    }

    @Test
    void aChangeThatNeverRanLeavesNothingPendingAndOneStillRunningKeepsItsRelease() {
        cache.writeStarted("apps", "refused");
        cache.writeSkipped("apps", "refused");
        assertEquals(0, cache.pendingCount(), "refused before it began: it wrote nothing");

        // The caller gave up (timeout, interrupt) while the body still ran on its worker: the body's own start and end count.
        cache.writeStarted("apps", "slow");
        cache.writeStarted("apps", "slow");
        cache.writeSkipped("apps", "slow");
        cache.listed("apps", "slow", cache.clock(), listed(5));
        assertTrue(cache.release(Operation.STATUS, "apps", "slow").isEmpty(), "still being written: read the API");
        Secret written = record("slow", 1, 12);
        deliver(written);
        assertTrue(cache.release(Operation.STATUS, "apps", "slow").isEmpty(), "still being written: read the API");
        cache.writeEnded("apps", "slow");
        cache.listed("apps", "slow", cache.clock(), listed(12, written));
        assertEquals(0, cache.pendingCount());
        assertEquals(1, cache.release(Operation.STATUS, "apps", "slow").orElseThrow().lastKey());
    }

    @Test
    void aListOfTheNamespaceSaysWhatAChangeWhoseOwnListFailedMustShow() {
        Secret other = record("other", 1, 20);
        deliver(other);
        cache.writeStarted("apps", "web");
        cache.writeEnded("apps", "web");   // and its own LIST failed: nothing says yet what to wait for
        Secret installed = record("web", 1, 21);
        deliver(installed);
        assertTrue(cache.releases(Operation.LIST, "apps").isEmpty(), "the change is pending: a list reads the API");
        cache.listedAll("apps", cache.clock(), listed(21, other, installed));
        assertEquals(0, cache.pendingCount(), "that list shows what the watch has delivered already");
        assertTrue(cache.releases(Operation.LIST, "apps").isPresent());

        cache.writeStarted("apps", "web");
        long before = cache.clock();
        cache.writeEnded("apps", "web");
        cache.listedAll("apps", before, listed(21, other, installed));
        assertEquals(1, cache.pendingCount(), "a list that started before the change ended says nothing of it");
        Secret upgraded = record("web", 2, 22);
        cache.listedAll(null, cache.clock(), listed(22, other, installed, upgraded));
        assertTrue(cache.releases(Operation.LIST, "apps").isEmpty(), "revision 2 not delivered yet");
        deliver(upgraded);
        assertEquals(0, cache.pendingCount());
        assertTrue(cache.releases(Operation.LIST, "apps").isPresent());
    }
}
