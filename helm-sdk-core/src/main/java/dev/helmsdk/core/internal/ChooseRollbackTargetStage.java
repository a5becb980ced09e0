package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Chooses the revision a rollback returns to (the requested one, or the one before the latest)
 * under the release's lock, takes the statuses of every revision, and takes the target's values.
 */
final class ChooseRollbackTargetStage implements ChangeStage {

    private final ReleaseStore store;
    private final ObjectMapper json;

    ChooseRollbackTargetStage(ReleaseStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.kind() == Operation.ROLLBACK;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        String ns = c.namespace();
        String name = c.release();
        List<StoredRelease> all = store.revisions(op, ns, name);
        if (all.isEmpty()) {
            throw ReleaseStore.notFound(op, ns, name);
        }
        int latest = all.get(all.size() - 1).revision();
        int requested = c.rollback().revision();
        // As Helm: with a single revision there is no previous one, but that revision may be named (a redeploy of it).
        if (all.size() == 1 && requested == 0) {
            throw new InvalidRequestException(op, name, "release '" + name + "' in namespace '" + ns
                    + "' has a single revision (" + latest + "): there is nothing to roll back to");
        }
        int target = requested > 0 ? requested : all.get(all.size() - 2).revision();
        StoredRelease to = all.stream().filter(r -> r.revision() == target).findFirst().orElseThrow(() ->
                new ReleaseNotFoundException(op, name, "release '" + name + "' in namespace '" + ns + "' has no revision "
                        + target + "; stored revisions: " + all.stream().map(StoredRelease::revision).toList()));
        SortedMap<Integer, ReleaseStatus> earlier = new TreeMap<>();
        all.forEach(r -> earlier.put(r.revision(), r.status()));
        return next.run(c.withTarget(to).withEarlier(earlier).withValues(to.config(json)));
    }
}
