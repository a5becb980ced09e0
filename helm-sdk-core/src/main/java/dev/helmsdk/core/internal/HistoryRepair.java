package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;

/** Repairs of the release history after a failure, which must never hide the failure itself. */
final class HistoryRepair {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HistoryRepair.class);

    private HistoryRepair() {
    }

    /**
     * Runs {@code repair} of the release history after {@code failure} and returns the failure to
     * throw: a repair that fails too (the API server gone, the deadline passed) is logged and
     * attached, never thrown in the failure's place.
     */
    static <E extends HelmSdkException> E repairing(E failure, String ns, String name, Runnable repair) {
        try {
            repair.run();
        } catch (RuntimeException e) {
            LOG.warn("release '{}' in namespace '{}': could not put earlier revisions' statuses back as Helm records them: {}",
                    name, ns, e.getMessage());
            failure.addSuppressed(e);
        }
        return failure;
    }
}
