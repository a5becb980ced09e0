package dev.helmsdk.core.internal;

/**
 * Where secret references in the merged values ({@code ref+vault://...}) are to be replaced by
 * the secrets they name, after merging and before anything is written for Helm: the place the
 * secrets module's resolvers plug in. No resolver exists yet, so the values pass unchanged.
 */
final class ResolveSecretsStage implements ChangeStage {

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.fromChart();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c);
    }
}
