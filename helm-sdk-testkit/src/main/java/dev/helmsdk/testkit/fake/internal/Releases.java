package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Every release's stored revisions, in memory. Each release's history is an immutable list
 * replaced whole on a change, so reads take no lock; changes to one release hold its
 * {@link History}'s monitor, so they never interleave (as the real manager's lease does), while
 * changes to different releases run in parallel.
 */
public final class Releases {

    /** One release's revisions, oldest first. */
    public static final class History {
        private volatile List<Revision> revisions = List.of();

        /** The revisions now, oldest first. */
        public List<Revision> revisions() {
            return revisions;
        }

        /** The latest revision, if any. */
        public Optional<Revision> latest() {
            List<Revision> all = revisions;
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** Replaces every revision; call holding this history's monitor. */
        void replace(List<Revision> all) {
            revisions = List.copyOf(all);
        }

        /** Changes the earlier revisions' statuses with {@code earlier}, then appends {@code next} and prunes to {@code maxHistory} (0: no pruning, as after a failure). */
        void record(UnaryOperator<Revision> earlier, Revision next, int maxHistory) {
            List<Revision> out = new ArrayList<>();
            for (Revision r : revisions) {
                if (r.revision() != next.revision()) {
                    out.add(earlier.apply(r));
                }
            }
            out.add(next);
            prune(out, maxHistory);
            replace(out);
        }

        /** Replaces the latest revision with {@code latest} (a status change). */
        void updateLatest(Revision latest) {
            List<Revision> out = new ArrayList<>(revisions);
            out.set(out.size() - 1, latest);
            replace(out);
        }

        /** Helm's pruning: the oldest revisions go first, but never the last deployed one. */
        private static void prune(List<Revision> all, int maxHistory) {
            if (maxHistory <= 0) {
                return;
            }
            int keep = deployed(all);
            for (int i = 0; all.size() > maxHistory && i < all.size() - 1; ) {
                if (all.get(i).revision() == keep) {
                    i++;
                } else {
                    all.remove(i);
                }
            }
        }
    }

    private final Map<String, History> histories = new ConcurrentHashMap<>();

    /** The release's history, created empty when it has none. */
    public History of(String namespace, String name) {
        return histories.computeIfAbsent(namespace + "/" + name, k -> new History());
    }

    /** The release's revisions now, empty when it has none; creates nothing. */
    public List<Revision> revisions(String namespace, String name) {
        History h = histories.get(namespace + "/" + name);
        return h == null ? List.of() : h.revisions();
    }

    /** The latest revision of every release, in any order. */
    public List<Revision> latestOfEach() {
        List<Revision> out = new ArrayList<>();
        for (History h : histories.values()) {
            h.latest().ifPresent(out::add);
        }
        return out;
    }

    /** The given revision (0: the latest), or the real manager's not-found error. */
    public Revision revision(Operation op, String namespace, String name, int revision) {
        List<Revision> all = revisions(namespace, name);
        if (all.isEmpty()) {
            throw notFound(op, namespace, name);
        }
        if (revision == 0) {
            return all.get(all.size() - 1);
        }
        return all.stream().filter(r -> r.revision() == revision).findFirst().orElseThrow(() -> new ReleaseNotFoundException(op, name,
                "release '" + name + "' has no revision " + revision + " in namespace '" + namespace + "'"));
    }

    /** The real manager's error for a release with no record. */
    public static ReleaseNotFoundException notFound(Operation op, String namespace, String name) {
        return new ReleaseNotFoundException(op, name, "release '" + name + "' not found in namespace '" + namespace + "'");
    }

    /** The highest revision marked deployed, or 0. */
    public static int deployed(List<Revision> all) {
        int d = 0;
        for (Revision r : all) {
            if (r.status() == ReleaseStatus.DEPLOYED) {
                d = Math.max(d, r.revision());
            }
        }
        return d;
    }
}
