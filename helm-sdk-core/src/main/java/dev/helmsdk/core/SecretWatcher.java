package dev.helmsdk.core;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.internal.SecretChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches releases whose values refer to secrets: on an interval it resolves each release's
 * recorded references again and reports, by checksum and never by value, the releases whose
 * secrets changed since its previous pass; opted in, it redeploys them so the cluster gets the
 * current values (a new revision of the same chart and recorded values, through the manager's
 * rollback to the deployed revision, so locks, readiness and history are as for any change).
 *
 * <pre>{@code
 * HelmManager helm = HelmSdk.builder().build();
 * SecretWatcher watcher = SecretWatcher.builder(helm)
 *         .release("shop", "apps")
 *         .interval(Duration.ofMinutes(5))
 *         .onChange(change -> System.out.println(change.releaseName() + ": " + change.references()))
 *         .redeployOnChange(true)
 *         .start();
 * }</pre>
 *
 * <p>Its first pass, at start, takes the baseline: a watcher reports changes after it started,
 * not since a release was deployed. A pass that fails for a release (a store unreachable, a
 * release gone) is given to {@link Builder#onError} and keeps that release's baseline. Passes run
 * on one daemon thread; {@link #close()} stops it. Thread-safe.
 */
public final class SecretWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecretWatcher.class);

    private final HelmManager helm;
    private final SecretChecks checks;
    private final List<Watched> releases;
    private final Consumer<SecretChange> onChange;
    private final Consumer<HelmSdkException> onError;
    private final boolean redeploy;
    private final Timeouts timeouts;
    private final Mac mac;
    private final Map<Watched, Map<String, String>> baseline = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    private record Watched(String name, String namespace) {
    }

    private SecretWatcher(Builder b, SecretChecks checks, ScheduledExecutorService timer) {
        this.helm = b.helm;
        this.checks = checks;
        this.releases = List.copyOf(b.releases);
        this.onChange = b.onChange;
        this.onError = b.onError;
        this.redeploy = b.redeploy;
        this.timeouts = b.timeouts;
        this.timer = timer;
        try {
            // A key of this watcher's own, in memory only: checksums can be compared, never reversed or guessed offline.
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(KeyGenerator.getInstance("HmacSHA256").generateKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * A watcher over releases of {@code helm}, a manager built by {@link HelmSdk} that resolves secrets.
     *
     * @param helm the manager whose resolvers and cluster the watcher uses (and which redeploys)
     * @return its builder
     */
    public static Builder builder(HelmManager helm) {
        return new Builder(Objects.requireNonNull(helm, "helm"));
    }

    /**
     * One pass now, on the calling thread: resolves every watched release's references, reports
     * (and, opted in, redeploys) those that changed, and returns them. The first pass for a release
     * takes its baseline and reports nothing.
     *
     * @return the releases whose secrets changed since the previous pass
     */
    public synchronized List<SecretChange> checkNow() {
        List<SecretChange> changes = new ArrayList<>();
        for (Watched w : releases) {
            try {
                check(w).ifPresent(changes::add);
            } catch (HelmSdkException e) {
                onError.accept(e);
            }
        }
        return changes;
    }

    private Optional<SecretChange> check(Watched w) {
        SecretChecks.Fingerprints now = checks.fingerprints(w.name(), w.namespace(), timeouts, mac, baseline.get(w));
        Map<String, String> before = baseline.put(w, now.byReference());
        if (before == null) {
            return Optional.empty();
        }
        List<String> changed = new ArrayList<>();
        now.byReference().forEach((ref, print) -> {
            if (before.containsKey(ref) && !before.get(ref).equals(print)) {
                changed.add(ref);
            }
        });
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        Optional<Release> redeployed = Optional.empty();
        if (redeploy) {
            try {
                redeployed = Optional.of(helm.rollback(w.name()).inNamespace(w.namespace()).toRevision(now.revision())
                        .description("Redeploy of revision " + now.revision() + ": its secrets changed").run());
            } catch (HelmSdkException e) {
                baseline.put(w, before); // not deployed: report it again at the next pass
                throw e;
            }
        }
        SecretChange change = new SecretChange(w.name(), w.namespace(), now.revision(), changed, checksum(before), checksum(now.byReference()),
                redeployed);
        try {
            onChange.accept(change);
        } catch (RuntimeException e) {
            LOG.warn("secret watcher: onChange failed for release {} in {} (ignored): {}", w.name(), w.namespace(), e.toString());
        }
        return Optional.of(change);
    }

    /** One checksum of a release's fingerprints, keyed like them. */
    private String checksum(Map<String, String> prints) {
        try {
            Mac m = (Mac) mac.clone();
            prints.forEach((ref, print) -> m.update((ref + "=" + print + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(m.doFinal(), 0, 16);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the passes; one that is running finishes. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "SecretWatcher[" + releases.size() + " releases" + (redeploy ? ", redeploys on change" : "") + "]";
    }

    /** Configures a {@link SecretWatcher}. */
    public static final class Builder {
        private final HelmManager helm;
        private final List<Watched> releases = new ArrayList<>();
        private Duration interval = Duration.ofMinutes(5);
        private Consumer<SecretChange> onChange = change -> LOG.info("secrets of release {} in {} changed: {}",
                change.releaseName(), change.namespace(), change.references());
        private Consumer<HelmSdkException> onError = e -> LOG.warn("secret watcher: {}", e.getMessage());
        private boolean redeploy;
        private Timeouts timeouts = Timeouts.ofDefaults();

        private Builder(HelmManager helm) {
            this.helm = helm;
        }

        /** Watches release {@code name} in {@code namespace}. */
        public Builder release(String name, String namespace) {
            releases.add(new Watched(Objects.requireNonNull(name, "name"), Objects.requireNonNull(namespace, "namespace")));
            return this;
        }

        /** How often {@link #start()}ed passes run; default 5 minutes. */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "a secret watcher's interval must be positive, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Told of every change, on the watcher's thread; default: an INFO log line naming the release and references. */
        public Builder onChange(Consumer<SecretChange> onChange) {
            this.onChange = Objects.requireNonNull(onChange, "onChange");
            return this;
        }

        /** Told when a release cannot be checked or redeployed; default: a WARN log line. */
        public Builder onError(Consumer<HelmSdkException> onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        /** Whether a release whose secrets changed is redeployed with them; default {@code false} (report only). */
        public Builder redeployOnChange(boolean redeploy) {
            this.redeploy = redeploy;
            return this;
        }

        /** The limits of each pass's resolution (its start limit) and redeploy; default {@link Timeouts#ofDefaults()}. */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** The watcher, with no passes scheduled: call {@link SecretWatcher#checkNow()} yourself. */
        public SecretWatcher build() {
            return new SecretWatcher(this, checks(), null);
        }

        /** The watcher, its first pass (the baseline) run now and the next ones every {@link #interval}. */
        public SecretWatcher start() {
            SecretChecks checks = checks();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "helm-sdk-secret-watcher");
                t.setDaemon(true);
                return t;
            });
            SecretWatcher watcher = new SecretWatcher(this, checks, timer);
            watcher.checkNow();
            long every = interval.toMillis();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    watcher.checkNow();
                } catch (RuntimeException e) {
                    LOG.warn("secret watcher pass failed: {}", e.toString());
                }
            }, every, every, TimeUnit.MILLISECONDS);
            return watcher;
        }

        private SecretChecks checks() {
            if (releases.isEmpty()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "a secret watcher needs at least one release(name, namespace)");
            }
            return SecretChecks.of(helm).orElseThrow(() -> new InvalidRequestException(Operation.CONFIGURE, null,
                    "a secret watcher needs a manager built by HelmSdk that resolves secrets (not resolveSecrets(false))"));
        }
    }
}
