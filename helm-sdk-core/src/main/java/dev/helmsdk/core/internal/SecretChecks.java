package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.internal.secrets.SecretResolution;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resolves a release's recorded secret references again, as an operation of its own
 * ({@link Operation#SECRET_CHECK}: timed, bounded, audited like any other), and gives a keyed
 * fingerprint of each value: what a secret watcher compares between passes. The values themselves
 * never leave this class.
 */
public final class SecretChecks {

    private final OperationRunner runner;
    private final ReleaseStore store;
    private final SecretResolution resolution;
    private final ObjectMapper json;
    private final ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    SecretChecks(OperationRunner runner, ReleaseStore store, SecretResolution resolution, ObjectMapper json) {
        this.runner = runner;
        this.store = store;
        this.resolution = resolution;
        this.json = json;
    }

    /**
     * A fingerprint of what each reference in the release's deployed (else latest) revision resolves
     * to now: {@code mac} over its canonical JSON, hex; empty when the release records no references.
     * The revision it read is given too.
     *
     * @throws dev.helmsdk.api.ReleaseNotFoundException  when the release has no revision
     * @throws dev.helmsdk.api.secrets.SecretResolutionException when a reference cannot be resolved
     */
    public Fingerprints fingerprints(String release, String namespace, Timeouts timeouts, Mac mac) {
        return fingerprints(release, namespace, timeouts, mac, null);
    }

    /**
     * As {@link #fingerprints(String, String, Timeouts, Mac)}, telling the check's interceptors
     * ({@link dev.helmsdk.api.spi.OperationSignal.SecretsRotated}) when a reference's fingerprint differs from
     * {@code previous}, the last pass's ({@code null}: the first pass, nothing to compare).
     */
    public Fingerprints fingerprints(String release, String namespace, Timeouts timeouts, Mac mac, Map<String, String> previous) {
        return runner.runInline(Operation.SECRET_CHECK, release, namespace, timeouts.start(), () -> {
            ReleaseStore.UpgradeBase base = store.upgradeBase(Operation.SECRET_CHECK, namespace, release)
                    .orElseThrow(() -> ReleaseStore.notFound(Operation.SECRET_CHECK, namespace, release));
            Map<String, Object> recorded = base.base().config(json);
            Deadline deadline = runner.currentDeadline().orElseGet(() -> Deadline.after(timeouts.start()));
            Map<String, Object> now = resolution.resolveEach(recorded, Operation.SECRET_CHECK, release, namespace, deadline,
                    runner.secretAudit());
            Map<String, String> prints = new TreeMap<>();
            now.forEach((ref, value) -> prints.put(ref, print(value, mac)));
            if (previous != null && prints.entrySet().stream().anyMatch(e -> previous.containsKey(e.getKey())
                    && !previous.get(e.getKey()).equals(e.getValue()))) {
                runner.signal(new dev.helmsdk.api.spi.OperationSignal.SecretsRotated(1));
            }
            return new Fingerprints(base.base().revision(), prints);
        });
    }

    /**
     * @param revision the revision whose recorded references were resolved
     * @param byReference each reference's fingerprint, sorted by reference
     */
    public record Fingerprints(int revision, Map<String, String> byReference) {
    }

    private String print(Object value, Mac mac) {
        try {
            Mac m = (Mac) mac.clone();
            return HexFormat.of().formatHex(m.doFinal(canonical.writeValueAsString(value).getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (CloneNotSupportedException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a resolved value: " + e.getClass().getName(), e);
        }
    }

    /** Closes the manager's resolvers (the ones it discovered). */
    void close() {
        resolution.close();
    }

    /** The checks of a manager built by {@code HelmSdk} (or a {@code withActor} view of one), if it resolves secrets. */
    public static Optional<SecretChecks> of(dev.helmsdk.api.HelmManager manager) {
        return ActingEngine.helmJavaEngine(manager).flatMap(HelmJavaEngine::secretChecks);
    }
}
