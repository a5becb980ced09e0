package dev.helmsdk.core;

import dev.helmsdk.api.Release;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A release whose recorded secret references now resolve to something else than at the
 * {@link SecretWatcher}'s previous pass: which references, and a checksum of all of them before and
 * after. Checksums are keyed by the watcher (a key of its own, never stored): they tell a change,
 * and reveal nothing of a value.
 *
 * @param releaseName    the release
 * @param namespace      its namespace
 * @param revision       the revision whose references were resolved
 * @param references     the references whose values changed, as written
 * @param checksumBefore the release's checksum at the previous pass
 * @param checksumAfter  its checksum now
 * @param redeployed     the new revision, when the watcher redeploys on change
 */
public record SecretChange(String releaseName, String namespace, int revision, List<String> references, String checksumBefore,
                           String checksumAfter, Optional<Release> redeployed) {

    /** Requires every field; copies the list. */
    public SecretChange {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        references = List.copyOf(Objects.requireNonNull(references, "references"));
        Objects.requireNonNull(checksumBefore, "checksumBefore");
        Objects.requireNonNull(checksumAfter, "checksumAfter");
        Objects.requireNonNull(redeployed, "redeployed");
    }
}
