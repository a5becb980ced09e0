package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ExistsRequest;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HistoryRequest;
import dev.helmsdk.api.InstallRequest;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.LintRequest;
import dev.helmsdk.api.ListRequest;
import dev.helmsdk.api.ManifestRequest;
import dev.helmsdk.api.NeedsUpgradeRequest;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RollbackRequest;
import dev.helmsdk.api.StatusRequest;
import dev.helmsdk.api.TemplateRequest;
import dev.helmsdk.api.TestRequest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.UninstallRequest;
import dev.helmsdk.api.UpgradeRequest;
import dev.helmsdk.api.ValuesRequest;
import dev.helmsdk.testkit.fake.internal.CallLog;
import dev.helmsdk.testkit.fake.internal.FaultBook;
import dev.helmsdk.testkit.fake.internal.Releases;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link HelmManager} in memory, for unit tests of code that uses the SDK: Helm's semantics
 * without a cluster, a connection or Helm's native library, as Helm's own Go tests run on its
 * memory storage driver. Requests are checked exactly as the real manager checks them (it is the
 * same code, {@link HelmManager#of}), and the fake keeps releases as Helm stores them:
 * <ul>
 *   <li>revisions from 1, statuses ({@code deployed}, {@code superseded}, {@code failed},
 *       {@code uninstalled}, {@code pending-*}) and descriptions ({@code Install complete},
 *       {@code Upgrade complete}, {@code Rollback to N}, {@code Uninstallation complete}) as Helm
 *       records them; history oldest first, pruned to {@link Builder#maxHistory(int)} after each
 *       success, never the deployed revision; uninstall with or without kept history;</li>
 *   <li>values as Helm merges them: user values over the chart's {@code values.yaml};
 *       {@code reuseValues()} merges the new ones over the release's, {@code resetValues()} takes
 *       only the new ones, and an upgrade given no values keeps the release's, as Helm 3 does;
 *       {@code values().allValues()} gives the chart's defaults with the user values over them;</li>
 *   <li>the real manager's typed errors for the same mistakes: a name in use
 *       ({@link dev.helmsdk.api.ReleaseAlreadyExistsException}), a missing release or revision
 *       ({@link dev.helmsdk.api.ReleaseNotFoundException}), a missing chart, bad values file or
 *       invalid name ({@link dev.helmsdk.api.InvalidRequestException}), a chart that is not
 *       registered ({@link dev.helmsdk.api.ChartNotFoundException}), a stuck release
 *       ({@link dev.helmsdk.api.ReleaseStuckException});</li>
 *   <li>dry runs, templates and {@code needsUpgrade} change nothing; {@code rollbackOnFailure()}
 *       undoes a failed change as the real manager does (an
 *       {@link dev.helmsdk.api.AutoRollbackException}); health checks run, after a wait that always
 *       succeeds unless a fault says otherwise.</li>
 * </ul>
 *
 * <p><b>Charts</b>: local directories and {@code .tgz} archives are read for {@code Chart.yaml}
 * (name, version, appVersion) and {@code values.yaml}; a repository or registry chart must be
 * registered with {@link Builder#chart(ChartRef, Path)} (the fake has no network). {@code verify(keyring)} verifies for
 * real, with the real manager's code, the {@code .prov} beside the archive (a local one, or the one registered for a
 * remote chart, which a {@link dev.helmsdk.api.ChartVerificationException} then names), and refuses a directory as the
 * real manager does; it needs {@code org.bouncycastle:bcpg-jdk18on} too. The fake does
 * <em>not</em> render templates: manifests are empty, notes are empty, {@code template()} and dry
 * runs give no resources, lint checks only {@code Chart.yaml}, and {@code needsUpgrade} compares
 * chart and values but not the manifest (its caveats say so). Opt into rendering with
 * {@link Builder#rendering(ChartRenderer)}, e.g. {@link ChartRenderer#helmJava()}, and the fake passes the
 * contract's rendering cases too (manifests, notes, template, lint, needsUpgrade's manifest comparison).
 *
 * <p><b>Not modelled</b>, because the fake has no cluster: namespaces (an install into a namespace nobody
 * created succeeds, where the real manager needs {@code createNamespace()}), the objects a release deploys
 * (nothing to read back with a Kubernetes client), and another process holding a release's lock (changes
 * to one release queue in the fake; a real manager may give up with a
 * {@link dev.helmsdk.api.ReleaseBusyException} after its lock wait). The contract suite
 * ({@link dev.helmsdk.testkit.contract.HelmManagerContract}) runs against the fake and the real manager
 * alike; on the fake it skips the cases that need rendering (unless opted in), cluster objects, or a stored
 * record edited into a pending state behind the manager's back.
 *
 * <p><b>Faults</b>: {@link #onNext(Operation, String)} and {@link #onEvery(Operation, String)}
 * make calls fail, time out, stay pending, fail readiness, miss their chart or run slowly.
 * <b>Calls</b>: {@link #calls()} and {@link #assertThat()} show what ran, in order, with the values
 * as given (secret references as references: the fake resolves nothing).
 *
 * <p>Thread-safe: changes to one release never interleave, different releases change in parallel,
 * reads take no lock. Not persistent: a fake forgets everything when dropped.
 */
public final class FakeHelmManager implements HelmManager {

    private final HelmManager manager;
    private final FakeSettings settings;
    private final Releases releases;
    private final FaultBook faults;
    private final CallLog log;

    private FakeHelmManager(FakeSettings settings, Releases releases, FaultBook faults, CallLog log) {
        this.settings = settings;
        this.releases = releases;
        this.faults = faults;
        this.log = log;
        this.manager = settings.manager(releases, faults, log);
    }

    /**
     * Another manager over this fake's releases, faults and recorded calls that keeps {@code maxHistory}
     * revisions per release when it changes one: as a second real manager built with another
     * {@code maxHistory} over the same cluster.
     *
     * @param maxHistory revisions kept per release, 0 for all
     * @return the other manager; closing it closes nothing of this one
     */
    public FakeHelmManager withMaxHistory(int maxHistory) {
        FakeSettings s = settings.copy();
        s.maxHistory(maxHistory);
        return new FakeHelmManager(s, releases, faults, log);
    }

    /** A fake with the defaults: namespace {@code default}, the system clock, 10 revisions kept, no rendering. */
    public static FakeHelmManager create() {
        return builder().build();
    }

    /** A builder for a fake with other options. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- faults and calls -----------------------------------------------------------------------

    /** What happens to the next call of {@code operation}, on any release. */
    public FaultTrigger onNext(Operation operation) {
        return onNext(operation, null);
    }

    /** What happens to every call of {@code operation}, on any release, until {@link #clearFaults()}. */
    public FaultTrigger onEvery(Operation operation) {
        return onEvery(operation, null);
    }

    /** What happens to the next call of {@code operation} on {@code release} (any release when {@code null}). */
    public FaultTrigger onNext(Operation operation, String release) {
        return new FaultTrigger(this, faults, operation, release, true);
    }

    /** What happens to every call of {@code operation} on {@code release} (any release when {@code null}), until {@link #clearFaults()}. */
    public FaultTrigger onEvery(Operation operation, String release) {
        return new FaultTrigger(this, faults, operation, release, false);
    }

    /** Forgets every fault that has not happened yet, and every repeating one. */
    public FakeHelmManager clearFaults() {
        faults.clear();
        return this;
    }

    /** Every call so far, in the order they started, reads included. */
    public List<RecordedCall> calls() {
        return log.snapshot();
    }

    /** Forgets the calls so far (e.g. after a test's set-up); call it while no call is running. */
    public FakeHelmManager clearCalls() {
        log.clear();
        return this;
    }

    /** Assertions over the calls so far. */
    public CallAssertions assertThat() {
        return new CallAssertions(log.snapshot());
    }

    // ---- HelmManager ------------------------------------------------------------------------------

    @Override
    public InstallRequest install(String releaseName) {
        return manager.install(releaseName);
    }

    @Override
    public UpgradeRequest upgrade(String releaseName) {
        return manager.upgrade(releaseName);
    }

    @Override
    public UninstallRequest uninstall(String releaseName) {
        return manager.uninstall(releaseName);
    }

    @Override
    public RollbackRequest rollback(String releaseName) {
        return manager.rollback(releaseName);
    }

    @Override
    public TestRequest test(String releaseName) {
        return manager.test(releaseName);
    }

    @Override
    public StatusRequest status(String releaseName) {
        return manager.status(releaseName);
    }

    @Override
    public ExistsRequest exists(String releaseName) {
        return manager.exists(releaseName);
    }

    @Override
    public NeedsUpgradeRequest needsUpgrade(String releaseName) {
        return manager.needsUpgrade(releaseName);
    }

    @Override
    public dev.helmsdk.api.DriftRequest drift(String releaseName) {
        return manager.drift(releaseName);
    }

    @Override
    public HistoryRequest history(String releaseName) {
        return manager.history(releaseName);
    }

    @Override
    public ValuesRequest values(String releaseName) {
        return manager.values(releaseName);
    }

    @Override
    public ManifestRequest manifest(String releaseName) {
        return manager.manifest(releaseName);
    }

    @Override
    public ListRequest list() {
        return manager.list();
    }

    @Override
    public TemplateRequest template(String releaseName) {
        return manager.template(releaseName);
    }

    @Override
    public LintRequest lint(ChartRef chart) {
        return manager.lint(chart);
    }

    @Override
    public String defaultNamespace() {
        return manager.defaultNamespace();
    }

    @Override
    public Timeouts timeouts() {
        return manager.timeouts();
    }

    /** This fake, or its engine. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.isInstance(this) ? Optional.of(type.cast(this)) : manager.unwrap(type);
    }

    /**
     * This fake acting for {@code actor}: the same releases, faults and recorded calls, with every call
     * recorded as {@code actor}'s ({@link RecordedCall#actor()}, {@link CallAssertions#by(String)}), as the
     * real manager attributes them. Closing the view does nothing.
     */
    @Override
    public HelmManager withActor(String actor) {
        return manager.withActor(actor);
    }

    /** Nothing to release; the fake keeps working, as closing it frees nothing. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "FakeHelmManager[namespace=" + defaultNamespace() + ", " + log.snapshot().size() + " calls]";
    }

    /** Options of a {@link FakeHelmManager}; not thread-safe, use it and drop it. */
    public static final class Builder {
        private final FakeSettings settings = new FakeSettings();
        private final List<InitialRelease> releases = new ArrayList<>();

        private record InitialRelease(String namespace, String name, ChartRef chart, Map<String, Object> values) {
        }

        private Builder() {
        }

        /** The namespace of requests that name none; default {@code default}. */
        public Builder defaultNamespace(String namespace) {
            settings.defaultNamespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** The limits of requests that set none; they bound injected slowdowns. Default {@link Timeouts#ofDefaults()}. */
        public Builder timeouts(Timeouts timeouts) {
            settings.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** Gives each revision its {@code lastDeployed} time; default the system clock (UTC). */
        public Builder clock(Clock clock) {
            settings.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Revisions kept per release, as the real manager's option; 0 keeps all. Default 10. */
        public Builder maxHistory(int revisions) {
            settings.maxHistory(revisions);
            return this;
        }

        /**
         * Marks a release's pending latest revision failed and goes on, where the default is a
         * {@link dev.helmsdk.api.ReleaseStuckException}: as the real manager's
         * {@code recoverStuckReleases(Duration.ZERO)}.
         */
        public Builder recoverStuckReleases() {
            settings.recoverStuck = true;
            return this;
        }

        /** The local chart (directory or archive) that stands for a repository or registry chart {@code ref}. */
        public Builder chart(ChartRef ref, Path localChart) {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(localChart, "localChart");
            settings.charts.put(ref, localChart);
            return this;
        }

        /** Renders templates with {@code renderer} (manifests, notes, template(), dry runs, needsUpgrade, lint). */
        public Builder rendering(ChartRenderer renderer) {
            settings.renderer = Objects.requireNonNull(renderer, "renderer");
            return this;
        }

        /**
         * A release the fake starts with: installed from {@code chart} with {@code values}, as
         * revision 1, deployed; not among the recorded calls.
         */
        public Builder release(String namespace, String name, ChartRef chart, Map<String, ?> values) {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(values, "values");
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) values;
            releases.add(new InitialRelease(namespace, name, chart, v));
            return this;
        }

        /**
         * The fake.
         *
         * @throws InvalidRequestException when the namespace is invalid, or an initial release cannot be installed
         */
        public FakeHelmManager build() {
            FakeHelmManager fake = new FakeHelmManager(settings.copy(), new Releases(), new FaultBook(), new CallLog());
            for (InitialRelease r : releases) {
                fake.install(r.name()).inNamespace(r.namespace()).chart(r.chart()).values(r.values()).run();
            }
            fake.clearCalls();
            return fake;
        }
    }
}
