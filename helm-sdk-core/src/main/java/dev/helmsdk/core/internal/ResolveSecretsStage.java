package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.core.internal.secrets.Redactor;
import dev.helmsdk.core.internal.secrets.SecretResolution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Replaces the secret references in the values ({@code ref+vault://...}) by the secrets they name,
 * and masks those secrets in whatever the rest of the change returns or throws.
 *
 * <p>For an install, upgrade, dry run or template it runs after merging and before the release is
 * locked, so a reference that cannot be resolved fails the change before anything in the cluster
 * does. An upgrade with {@code reuseValues()} resolves the release's recorded values too, merged
 * with the request's as Helm merges them, since the record holds references. For a rollback it runs
 * once the target revision is chosen, on that revision's recorded values: a rollback resolves again.
 * Off when the manager resolves no secrets ({@code resolveSecrets(false)}).
 */
final class ResolveSecretsStage implements ChangeStage {

    private final SecretResolution resolution;
    private final Supplier<Optional<Deadline>> deadline;
    private final Supplier<Consumer<SecretAccess>> audit;
    private final boolean rollback;
    private final ReleaseStore store;
    private final ObjectMapper json;

    private ResolveSecretsStage(SecretResolution resolution, Supplier<Optional<Deadline>> deadline, Supplier<Consumer<SecretAccess>> audit,
                                boolean rollback, ReleaseStore store, ObjectMapper json) {
        this.resolution = resolution;
        this.deadline = deadline;
        this.audit = audit;
        this.rollback = rollback;
        this.store = store;
        this.json = json;
    }

    /**
     * The stage for requests that start from a chart and values; {@code resolution} {@code null}: off.
     *
     * @param audit where the operation running on the calling thread reports its secret accesses
     */
    static ResolveSecretsStage forRequests(SecretResolution resolution, Supplier<Optional<Deadline>> deadline,
                                           Supplier<Consumer<SecretAccess>> audit, ReleaseStore store, ObjectMapper json) {
        return new ResolveSecretsStage(resolution, deadline, audit, false, store, json);
    }

    /** The stage for rollbacks, after the target is chosen; {@code resolution} {@code null}: off. */
    static ResolveSecretsStage forRollbacks(SecretResolution resolution, Supplier<Optional<Deadline>> deadline,
                                            Supplier<Consumer<SecretAccess>> audit) {
        return new ResolveSecretsStage(resolution, deadline, audit, true, null, null);
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return resolution != null && (rollback ? c.kind() == Operation.ROLLBACK : c.fromChart());
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Deadline d = deadline.get().orElseGet(() -> Deadline.after(c.limit()));
        Map<String, Object> given = reusing(c) ? withRecordedValues(c) : c.values();
        Consumer<SecretAccess> accesses = audit.get();
        SecretResolution.Resolved resolved = resolution.resolved(given, c.op(), c.release(), c.namespace(), d, accesses);
        if (!resolved.any()) {
            return next.run(c);
        }
        Redactor redactor = resolved.redactor();
        ChangeContext done;
        try {
            done = next.run(c.withResolved(resolved));
        } catch (HelmSdkException e) {
            throw redactor.masked(e);
        }
        return done.withResult(redactor.result(done.result()));
    }

    /** An upgrade that keeps the recorded values, when the release has a deployed revision to take them from. */
    private boolean reusing(ChangeContext c) {
        return !rollback && c.kind() == Operation.UPGRADE && c.deploy().upgrade().reuseValues();
    }

    /**
     * The deployed revision's recorded values with the request's merged over them, as Helm's
     * {@code --reuse-values} merges them: resolved and given to Helm, which merges the record with
     * them again and so finds nothing of the record left to take unresolved.
     */
    private Map<String, Object> withRecordedValues(ChangeContext c) {
        Optional<ReleaseStore.UpgradeBase> base = store.upgradeBase(c.op(), c.namespace(), c.release());
        if (base.isEmpty() || base.get().base() == null) {
            return c.values();
        }
        Map<String, Object> recorded = base.get().base().config(json);
        if (!SecretResolution.holdsReferences(recorded)) {
            return c.values();
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        ValuesMerger.deepMerge(merged, recorded);
        ValuesMerger.deepMerge(merged, c.values());
        return merged;
    }
}
