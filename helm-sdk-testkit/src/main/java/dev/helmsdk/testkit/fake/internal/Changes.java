package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.Readiness;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import dev.helmsdk.testkit.fake.ChartRenderer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installs, upgrades, rollbacks and uninstalls, with the statuses, descriptions and errors Helm
 * and the real manager give (core's HistoryRules, RemediateStage and ReadinessPhase), and the
 * injected faults where they would strike. Each change holds its release's monitor throughout.
 */
final class Changes {

    /** What a change records: Helm's kind of change, which names its statuses and descriptions. */
    private enum Kind { INSTALL, UPGRADE, ROLLBACK }

    private final Releases releases;
    private final FaultBook faults;
    private final Clock clock;
    private final int maxHistory;
    private final boolean recoverStuck;
    private final Rendering rendering;
    private final Calls calls;

    Changes(Releases releases, FaultBook faults, Clock clock, int maxHistory, boolean recoverStuck, Rendering rendering, Calls calls) {
        this.releases = releases;
        this.faults = faults;
        this.clock = clock;
        this.maxHistory = maxHistory;
        this.recoverStuck = recoverStuck;
        this.rendering = rendering;
        this.calls = calls;
    }

    /** An install ({@code op == INSTALL}) or upgrade with the merged user values {@code requested}. */
    Release deploy(Operation op, DeploySpec spec, Map<String, Object> requested) {
        String name = spec.releaseName();
        String ns = spec.namespace();
        ChartReader.Chart chart = rendering.chart(op, name, spec.chart());
        Releases.History h = releases.of(ns, name);
        synchronized (h) {
            List<Revision> all = h.revisions();
            Optional<Revision> latest = h.latest();
            boolean install = op == Operation.INSTALL || all.isEmpty() && spec.upgrade().installIfAbsent();
            if (op == Operation.INSTALL && latest.isPresent()) {
                throw new ReleaseAlreadyExistsException(op, name, op.tag() + where(name, ns) + " failed: the release already exists;"
                        + " use upgrade() to change it, or uninstall it first", "cannot re-use a name that is still in use", null);
            }
            Revision base = null;
            if (!install) {
                unlessStuck(op, h, name, ns);
                base = upgradeBase(op, h.revisions(), name, ns);
            }
            Map<String, Object> config = install ? requested : ValueMaps.toRecord(spec.upgrade(), requested, base.config());
            Map<String, Object> chartValues = !install && spec.upgrade().reuseValues()
                    ? ValueMaps.over(base.chartValues(), base.config()) : chart.defaults();
            ChartRenderer.Output out = rendering.render(op, spec.chart(), chart, name, ns, chartValues, config);
            int before = Releases.deployed(h.revisions());
            int number = h.latest().map(Revision::revision).orElse(0) + 1;
            String description = !spec.description().isEmpty() ? spec.description() : install ? "Install complete" : "Upgrade complete";
            Revision next = new Revision(name, ns, number, ReleaseStatus.DEPLOYED, spec.chart(), chart, ValueMaps.frozen(chartValues),
                    ValueMaps.frozen(config), out.manifest(), out.notes(), clock.instant(), description);
            try {
                return apply(op, install ? Kind.INSTALL : Kind.UPGRADE, h, next, spec.readiness(), spec.timeouts());
            } catch (Pending p) {
                throw p.timeout;
            } catch (HelmSdkException failure) {
                if (!spec.rollbackOnFailure()) {
                    throw failure;
                }
                throw remediate(h, name, ns, before, spec.timeouts(), failure);
            }
        }
    }

    /** A rollback to an earlier revision, as a new one. */
    Release rollback(RollbackSpec s) {
        Operation op = Operation.ROLLBACK;
        String name = s.releaseName();
        String ns = s.namespace();
        Releases.History h = releases.of(ns, name);
        synchronized (h) {
            if (h.revisions().isEmpty()) {
                throw Releases.notFound(op, ns, name);
            }
            unlessStuck(op, h, name, ns);
            List<Revision> stored = h.revisions();
            Revision to = rollbackTarget(op, name, ns, stored, s.revision());
            int target = to.revision();
            String description = s.description().isEmpty() ? "Rollback to " + target : s.description();
            Revision next = new Revision(name, ns, stored.get(stored.size() - 1).revision() + 1, ReleaseStatus.DEPLOYED, to.chart(),
                    to.chartInfo(), to.chartValues(), to.config(), to.manifest(), to.notes(), clock.instant(), description);
            try {
                return apply(op, Kind.ROLLBACK, h, next, s.readiness(), s.timeouts());
            } catch (Pending p) {
                throw p.timeout;
            }
        }
    }

    /**
     * The revision a rollback returns to (0: the one before the latest), with the errors Helm gives.
     *
     * @param stored the release's revisions, oldest first, at least one
     */
    static Revision rollbackTarget(Operation op, String name, String ns, List<Revision> stored, int requested) {
        if (stored.size() == 1 && requested == 0) {
            throw new InvalidRequestException(op, name, "release '" + name + "' in namespace '" + ns
                    + "' has a single revision (" + stored.get(0).revision() + "): there is nothing to roll back to");
        }
        int target = requested > 0 ? requested : stored.get(stored.size() - 2).revision();
        return stored.stream().filter(r -> r.revision() == target).findFirst().orElseThrow(() ->
                new ReleaseNotFoundException(op, name, "release '" + name + "' in namespace '" + ns + "' has no revision "
                        + target + "; stored revisions: " + stored.stream().map(Revision::revision).toList()));
    }

    /** An uninstall; returns the latest revision as it stood before. */
    Release uninstall(UninstallSpec s) {
        Operation op = Operation.UNINSTALL;
        String name = s.releaseName();
        String ns = s.namespace();
        Releases.History h = releases.of(ns, name);
        synchronized (h) {
            Optional<Revision> found = h.latest();
            if (found.isEmpty()) {
                throw new ReleaseNotFoundException(op, name, op.tag() + where(name, ns) + " failed: the release does not exist"
                        + " (Helm: uninstall: Release not loaded: " + name + ": release: not found)");
            }
            Optional<Fault> f = faults.take(op, name, Fault.Kind.FAIL, Fault.Kind.TIME_OUT);
            if (f.isPresent()) {
                throw f.get().kind() == Fault.Kind.FAIL ? helmFailure(op, name, ns, f.get().message()) : helmTimeout(op, name, ns, s.timeouts().start());
            }
            Revision latest = found.get();
            if (latest.status() == ReleaseStatus.UNINSTALLED && s.keepHistory()) {
                throw helmFailure(op, name, ns, "the release named \"" + name + "\" is already deleted");
            }
            if (s.keepHistory()) {
                h.updateLatest(latest.with(ReleaseStatus.UNINSTALLED, "Uninstallation complete"));
            } else {
                h.replace(List.of());
            }
            return latest.toRelease();
        }
    }

    /**
     * Records {@code next} as Helm's change would, with the fault due for this call: Helm failing
     * (the revision failed), the process dying (the revision left pending), a time-out, or the wait
     * for readiness or a health check failing (the revision failed, earlier ones as they were).
     */
    private Release apply(Operation op, Kind kind, Releases.History h, Revision next, Readiness readiness, Timeouts t) {
        String name = next.name();
        String ns = next.namespace();
        boolean waiting = readiness.enabled();
        Optional<Fault> f = waiting ? faults.take(op, name, Fault.Kind.FAIL, Fault.Kind.LEAVE_PENDING)
                : faults.take(op, name, Fault.Kind.FAIL, Fault.Kind.LEAVE_PENDING, Fault.Kind.TIME_OUT);
        if (f.isPresent()) {
            Fault fault = f.get();
            switch (fault.kind()) {
                case FAIL -> {
                    String verb = kind == Kind.INSTALL ? "Release" : kind == Kind.UPGRADE ? "Upgrade" : "Rollback";
                    h.record(kind == Kind.ROLLBACK ? supersedeLatest(h) : r -> r,
                            next.with(ReleaseStatus.FAILED, verb + " \"" + name + "\" failed: " + fault.message()), 0);
                    throw helmFailure(op, name, ns, fault.message());
                }
                case LEAVE_PENDING -> {
                    ReleaseStatus pending = kind == Kind.INSTALL ? ReleaseStatus.PENDING_INSTALL
                            : kind == Kind.UPGRADE ? ReleaseStatus.PENDING_UPGRADE : ReleaseStatus.PENDING_ROLLBACK;
                    String what = kind == Kind.INSTALL ? "Initial install underway" : kind == Kind.UPGRADE ? "Preparing upgrade"
                            : next.description();
                    h.record(r -> r, next.with(pending, what), 0);
                    throw new Pending(helmTimeout(op, name, ns, t.start()));
                }
                default -> {
                    String verb = kind == Kind.INSTALL ? "Release" : kind == Kind.UPGRADE ? "Upgrade" : "Rollback";
                    h.record(r -> r, next.with(ReleaseStatus.FAILED, verb + " \"" + name + "\" failed: context deadline exceeded"), 0);
                    throw helmTimeout(op, name, ns, t.start());
                }
            }
        }
        if (!waiting) {
            h.record(Changes::supersede, next, maxHistory);
            return next.toRelease();
        }
        // Recorded before the wait, as Helm records it; confirmed (earlier revisions superseded) once ready and healthy.
        h.record(r -> r, next, 0);
        if (readiness.progress() != null) {
            // Everything is ready at once: the rendered objects (none without rendering), as the real wait's last report.
            readiness.progress().accept(new ReadinessProgress(Manifests.parse(next.manifest()).resources().stream()
                    .map(r -> new ReadinessProgress.Resource(r.kind().toLowerCase(java.util.Locale.ROOT) + "/" + r.name(),
                            ReadinessProgress.State.READY, "")).toList(), Duration.ZERO));
        }
        Optional<Fault> wait = faults.take(op, name, Fault.Kind.FAIL_READINESS, Fault.Kind.TIME_OUT);
        if (wait.isPresent() && wait.get().kind() == Fault.Kind.FAIL_READINESS) {
            String failure = wait.get().message();
            h.updateLatest(next.with(ReleaseStatus.FAILED, "Readiness failed: " + failure));
            throw new ReadinessFailedException(op, name, List.of(failure), op.tag() + where(name, ns) + ": " + failure);
        }
        if (wait.isPresent()) {
            String why = "not ready within " + t.readiness();
            h.updateLatest(next.with(ReleaseStatus.FAILED, "Readiness timed out: " + why));
            throw new OperationTimeoutException(op, name, t.readiness(), op.tag() + where(name, ns) + ": " + why, null);
        }
        runHealthChecks(op, h, next, readiness.healthChecks(), t.readiness());
        h.record(Changes::supersede, next, maxHistory);
        return next.toRelease();
    }

    private void runHealthChecks(Operation op, Releases.History h, Revision next, List<HealthCheck> checks, Duration limit) {
        Release release = next.toRelease();
        long until = System.nanoTime() + limit.toNanos();
        for (HealthCheck check : checks) {
            HealthCheck.Context context = new HealthCheck.Context() {
                @Override
                public Release release() {
                    return release;
                }

                @Override
                public Duration timeLeft() {
                    return Duration.ofNanos(Math.max(0, until - System.nanoTime()));
                }

                @Override
                public void runHelmTests() {
                    faults.take(Operation.TEST, next.name(), Fault.Kind.FAIL).ifPresent(f -> {
                        throw helmFailure(Operation.HEALTH_CHECK, next.name(), next.namespace(), f.message());
                    });
                }

                @Override
                public dev.helmsdk.api.TestReport helmTestReport() {
                    return testReport(next, faults.take(Operation.TEST, next.name(), Fault.Kind.FAIL), clock);
                }
            };
            HealthCheck.Result result;
            Exception cause = null;
            try {
                result = check.check(context);
            } catch (Exception e) {
                cause = e;
                result = HealthCheck.Result.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (result == null || !result.healthy()) {
                String detail = result == null ? "the check returned no result" : result.detail();
                h.updateLatest(next.with(ReleaseStatus.FAILED, "Health check " + check.name() + " failed: " + detail));
                throw new HealthCheckFailedException(op, next.name(), check.name(), op.tag() + where(next.name(), next.namespace())
                        + ": health check '" + check.name() + "' failed: " + detail, cause);
            }
        }
    }

    /**
     * Undoes a failed change that asked for it, as core's RemediateStage does: back to the revision
     * deployed before, or, when none was, uninstalled; each undo is a call of its own, recorded as automatic.
     */
    private HelmSdkException remediate(Releases.History h, String name, String ns, int before, Timeouts t, HelmSdkException failure) {
        if (failure instanceof InvalidRequestException || failure instanceof ReleaseStuckException) {
            return failure;
        }
        int latest = h.latest().map(Revision::revision).orElse(0);
        if (latest == before) {
            return failure;   // nothing was recorded: nothing to undo
        }
        try {
            if (before > 0) {
                RollbackSpec back = RollbackSpec.of(name, ns, t.withReadiness(t.cleanup())).toBuilder().revision(before)
                        .readiness(Readiness.ofDefaults().withEnabled(true)).cleanupOnFail(true).build();
                Release now = calls.run(Operation.ROLLBACK, name, ns, null, Values.empty(), true, t.total(true), v -> rollback(back));
                return new AutoRollbackException(failure, before, null, failure.getMessage() + "; rolled back to revision "
                        + before + " (now revision " + now.revision() + ")");
            }
            UninstallSpec away = new UninstallSpec(name, ns, false, t.withStart(t.cleanup()));
            calls.run(Operation.UNINSTALL, name, ns, null, Values.empty(), true, t.cleanup(), v -> uninstall(away));
            return new AutoRollbackException(failure, 0, null, failure.getMessage() + "; the failed first install was uninstalled");
        } catch (HelmSdkException undo) {
            return new AutoRollbackException(failure, -1, undo, failure.getMessage() + "; undoing it failed too: " + undo.getMessage());
        }
    }

    /** The revision Helm's upgrade starts from: the latest if deployed, else the last deployed, else a failed or superseded latest. */
    private static Revision upgradeBase(Operation op, List<Revision> all, String name, String ns) {
        Revision latest = all.isEmpty() ? null : all.get(all.size() - 1);
        if (latest == null) {
            throw noDeployed(op, name, ns);
        }
        if (latest.status() == ReleaseStatus.DEPLOYED) {
            return latest;
        }
        int deployed = Releases.deployed(all);
        if (deployed > 0) {
            return all.stream().filter(r -> r.revision() == deployed).findFirst().orElseThrow();
        }
        if (latest.status() == ReleaseStatus.FAILED || latest.status() == ReleaseStatus.SUPERSEDED) {
            return latest;
        }
        throw noDeployed(op, name, ns);
    }

    /** The real manager's words for Helm's "has no deployed releases". */
    static ReleaseNotFoundException noDeployed(Operation op, String name, String ns) {
        return new ReleaseNotFoundException(op, name, op.tag() + where(name, ns) + " failed: the release does not exist"
                + (op == Operation.UPGRADE ? "; use installIfAbsent() to install it" : "") + " (Helm: \"" + name + "\" has no deployed releases)");
    }

    /** A pending latest revision: the real manager's stuck error, or with recovery on, that revision marked failed. */
    private void unlessStuck(Operation op, Releases.History h, String name, String ns) {
        Optional<Revision> latest = h.latest();
        if (latest.isEmpty() || !latest.get().status().isPending()) {
            return;
        }
        Revision r = latest.get();
        String where = "release '" + name + "' in namespace '" + ns + "' is " + r.status().helmName() + " at revision " + r.revision()
                + " ('" + r.description() + "')";
        if (!recoverStuck) {
            throw new ReleaseStuckException(op, name, r.revision(), r.status(), where
                    + " and no helm-sdk operation holds it: a process probably died in the middle of a change."
                    + " Enable recoverStuckReleases(...) (FakeHelmManager.builder().recoverStuckReleases()) to mark that revision"
                    + " failed and go on, or repair it by hand");
        }
        h.updateLatest(r.with(ReleaseStatus.FAILED, "Marked failed by helm-sdk: left " + r.status().helmName()
                + " by an operation that did not finish"));
    }

    private static Revision supersede(Revision r) {
        return r.status() == ReleaseStatus.DEPLOYED ? r.with(ReleaseStatus.SUPERSEDED) : r;
    }

    /** Helm's failed rollback: the latest earlier revision superseded, the others kept. */
    private static java.util.function.UnaryOperator<Revision> supersedeLatest(Releases.History h) {
        int latest = h.latest().map(Revision::revision).orElse(0);
        return r -> r.revision() == latest ? r.with(ReleaseStatus.SUPERSEDED) : r;
    }

    static String where(String name, String ns) {
        return " of release '" + name + "' in namespace '" + ns + "'";
    }

    static HelmOperationException helmFailure(Operation op, String name, String ns, String helmText) {
        return new HelmOperationException(op, name, op.tag() + where(name, ns) + " failed: " + helmText, helmText, null);
    }

    static OperationTimeoutException helmTimeout(Operation op, String name, String ns, Duration limit) {
        return new OperationTimeoutException(op, name, limit, op.tag() + where(name, ns) + " did not finish within Helm's time limit of "
                + limit + " (Helm: context deadline exceeded)", null);
    }

    /** A change that died half-way: nothing may undo it, as nothing would after a killed process. */
    private static final class Pending extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient OperationTimeoutException timeout;

        Pending(OperationTimeoutException timeout) {
            super(null, null, false, false);
            this.timeout = timeout;
        }
    }

    /**
     * The fake's answer to a test run: it runs no pods and keeps no hooks, so a run reports no tests (and passes, as
     * Helm does for a chart without test hooks), unless a {@code FAIL} fault on {@code TEST} stands for a failing
     * test: then one failed test {@code <release>-test} whose logs are the fault's message.
     */
    static dev.helmsdk.api.TestReport testReport(Revision of, Optional<Fault> failure, Clock clock) {
        java.time.Instant now = clock.instant();
        List<dev.helmsdk.api.TestReport.Test> tests = failure.map(f -> List.of(new dev.helmsdk.api.TestReport.Test(of.name() + "-test",
                "Pod", dev.helmsdk.api.TestReport.Phase.FAILED, Optional.of(now), Optional.of(now), Optional.of(f.message())))).orElse(List.of());
        return new dev.helmsdk.api.TestReport(of.name(), of.namespace(), of.revision(), tests);
    }
}
