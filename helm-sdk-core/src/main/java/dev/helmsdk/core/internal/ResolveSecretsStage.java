package dev.helmsdk.core.internal;

import dev.helmsdk.core.internal.secrets.SecretResolution;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Replaces the secret references in the merged values ({@code ref+vault://...}) by the secrets they
 * name, after merging and before the release is read or locked, so a reference that cannot be
 * resolved fails the change before anything in the cluster does. Off when the manager resolves no
 * secrets ({@code resolveSecrets(false)}).
 */
final class ResolveSecretsStage implements ChangeStage {

    private final SecretResolution resolution;
    private final Supplier<Optional<Deadline>> deadline;

    /** @param resolution the manager's resolution, or {@code null} when it resolves no secrets */
    ResolveSecretsStage(SecretResolution resolution, Supplier<Optional<Deadline>> deadline) {
        this.resolution = resolution;
        this.deadline = deadline;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return resolution != null && c.fromChart();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Deadline d = deadline.get().orElseGet(() -> Deadline.after(c.limit()));
        return next.run(c.withValues(Deadline.during(Optional.of(d), "resolving secret references",
                () -> resolution.resolve(c.values(), c.op(), c.release(), c.namespace(), d))));
    }
}
