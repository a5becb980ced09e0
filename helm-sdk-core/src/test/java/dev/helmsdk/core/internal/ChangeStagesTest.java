package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.Readiness;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * Each stage of the change pipeline on its own, with its collaborators mocked: what it adds to the
 * context, when it applies, what it cleans up, and what it does when the stages after it fail.
 */
class ChangeStagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Timeouts T = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(20));
    private static final ChartSource.Resolved CHART = new ChartSource.Resolved("/charts/hello", null, null, null);

    private static DeploySpec deploy() {
        return DeploySpec.of("web", "apps", T).toBuilder().chart(ChartRef.local(Path.of("/charts/hello"))).build();
    }

    private static ChangeContext install(boolean waitReady, boolean rollbackOnFailure) {
        return ChangeContext.install(deploy().toBuilder().readiness(Readiness.ofDefaults().withEnabled(waitReady))
                .rollbackOnFailure(rollbackOnFailure).build());
    }

    private static ChangeContext rollback(int revision) {
        return ChangeContext.rollback(RollbackSpec.of("web", "apps", T).toBuilder().revision(revision).build());
    }

    private static ChangeContext uninstall() {
        return ChangeContext.uninstall(new UninstallSpec("web", "apps", true, T));
    }

    /** A stored revision as Helm's Secret driver keeps it. */
    static StoredRelease stored(int revision, ReleaseStatus status, Map<String, Object> config) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name", "web");
        record.put("namespace", "apps");
        record.put("version", revision);
        record.put("info", Map.of("status", status.helmName(), "description", "Upgrade complete"));
        record.put("config", config);
        record.put("chart", Map.of("metadata", Map.of("name", "hello", "version", "0.1.0"), "values", Map.of()));
        try {
            byte[] raw = JSON.writeValueAsBytes(record);
            String once = java.util.Base64.getEncoder().encodeToString(raw);
            return StoredRelease.decodeSecretData(java.util.Base64.getEncoder().encodeToString(once.getBytes()), JSON);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Helm execution, mocked, with a kubeconfig file as cluster access. */
    private static HelmExecution helmExecution() {
        HelmExecution helm = mock(HelmExecution.class);
        when(helm.kube()).thenReturn(KubeAccess.ofFile(Path.of("/tmp/kubeconfig")));
        return helm;
    }

    private static Release release(int revision) {
        return stored(revision, ReleaseStatus.DEPLOYED, Map.of()).toRelease("apps");
    }

    /** The stages after the one under test: records the context they got, returns it. */
    private static class Rest implements ChangeStage.Next {
        final List<ChangeContext> seen = new ArrayList<>();
        RuntimeException failure;

        @Override
        public ChangeContext run(ChangeContext c) {
            seen.add(c);
            if (failure != null) {
                throw failure;
            }
            return c;
        }

        ChangeContext only() {
            assertEquals(1, seen.size(), "the rest of the pipeline ran once");
            return seen.get(0);
        }
    }

    @Nested
    class ResolveChart {
        final ChartSource charts = mock(ChartSource.class);
        final ResolveChartStage stage = new ResolveChartStage(charts);

        @Test
        void handsOnTheResolvedChart() {
            when(charts.resolve(eq(Operation.INSTALL), eq("web"), any(), isNull())).thenReturn(CHART);
            Rest rest = new Rest();
            stage.run(install(false, false), rest);
            assertSame(CHART, rest.only().chart());
        }

        @Test
        void asksTheSourceToVerifyWithTheRequestsKeyring() {
            Path keyring = Path.of("/keys/pubring.gpg");
            when(charts.resolve(eq(Operation.DRY_RUN), eq("web"), any(), eq(keyring))).thenReturn(CHART);
            Rest rest = new Rest();
            stage.run(ChangeContext.dryRun(deploy().toBuilder().verifyKeyring(keyring).build(), false, DryRunMode.SERVER), rest);
            assertSame(CHART, rest.only().chart());
        }

        @Test
        void aRefusedChartStopsTheChange() {
            when(charts.resolve(any(), any(), any(), any())).thenThrow(new ChartSourceException(Operation.INSTALL, "web",
                    ChartSourceException.Reason.UNREACHABLE, java.net.URI.create("https://charts.example"), "GET", "no such chart", null));
            Rest rest = new Rest();
            assertThrows(ChartSourceException.class, () -> stage.run(install(false, false), rest));
            assertTrue(rest.seen.isEmpty());
        }

        @Test
        void appliesToChangesFromAChartOnly() {
            assertTrue(stage.appliesTo(install(false, false)));
            assertTrue(stage.appliesTo(ChangeContext.dryRun(deploy(), true, DryRunMode.CLIENT)));
            assertTrue(stage.appliesTo(ChangeContext.template(deploy())));
            assertFalse(stage.appliesTo(rollback(0)));
            assertFalse(stage.appliesTo(uninstall()));
        }
    }

    @Nested
    class MergeValues {
        final ValuesMerger merger = mock(ValuesMerger.class);
        final MergeValuesStage stage = new MergeValuesStage(merger);

        @Test
        void handsOnTheMergedValues() {
            Map<String, Object> merged = Map.of("replicas", 2);
            when(merger.merge(eq(Operation.INSTALL), eq("web"), any(Values.class))).thenReturn(merged);
            Rest rest = new Rest();
            stage.run(install(false, false), rest);
            assertEquals(merged, rest.only().values());
        }

        @Test
        void badValuesStopTheChange() {
            when(merger.merge(any(), any(), any())).thenThrow(new InvalidRequestException(Operation.INSTALL, "web", "bad values"));
            Rest rest = new Rest();
            assertThrows(InvalidRequestException.class, () -> stage.run(install(false, false), rest));
            assertTrue(rest.seen.isEmpty());
        }
    }

    @Nested
    class ResolveSecrets {
        final dev.helmsdk.core.internal.secrets.SecretResolution resolution = new dev.helmsdk.core.internal.secrets.SecretResolution(
                dev.helmsdk.core.internal.secrets.SecretResolvers.of(List.of(), List.of(new dev.helmsdk.api.secrets.SecretResolver() {
                    @Override
                    public java.util.Set<String> schemes() {
                        return java.util.Set.of("fake");
                    }

                    @Override
                    public Object resolve(dev.helmsdk.api.secrets.SecretReference r, dev.helmsdk.api.secrets.SecretContext c) {
                        return "resolved-" + r.path();
                    }
                })));

        @Test
        void replacesReferencesBeforeTheRestRunsAndOnlyForChangesFromAChart() {
            Rest rest = new Rest();
            ResolveSecretsStage.forRequests(resolution, java.util.Optional::empty, () -> access -> { }, null, null)
                    .run(install(false, false).withValues(Map.of("password", "ref+fake://db")), rest);
            assertEquals(Map.of("password", "resolved-db"), rest.only().values());
            assertFalse(ResolveSecretsStage.forRequests(resolution, java.util.Optional::empty, () -> access -> { }, null, null).appliesTo(uninstall()));
            assertEquals(Map.of("password", "ref+fake://db"), rest.only().valuesToRecord().orElseThrow(), "the references are what is recorded");
            assertTrue(rest.only().redactor().appearsIn("password: resolved-db"), "what they resolved to is masked");
        }

        @Test
        void masksWhatTheyResolvedToInTheResultAndInFailures() {
            ChangeStage.Next renders = c -> c.withResult(new dev.helmsdk.api.RenderedManifest(
                    "kind: Secret\ndata:\n  password: " + java.util.Base64.getEncoder().encodeToString("resolved-db".getBytes())
                            + "\n  plain: resolved-db\n", List.of()));
            ChangeContext done = ResolveSecretsStage.forRequests(resolution, java.util.Optional::empty, () -> access -> { }, null, null)
                    .run(install(false, false).withValues(Map.of("password", "ref+fake://db")), renders);
            String manifest = ((dev.helmsdk.api.RenderedManifest) done.result()).manifest();
            assertEquals("kind: Secret\ndata:\n  password: <redacted>\n  plain: <redacted>\n", manifest);
            ChangeStage.Next fails = c -> {
                throw new dev.helmsdk.api.HelmOperationException(c.op(), c.release(), "failed: resolved-db is bad", "resolved-db is bad",
                        new IllegalStateException("Helm said resolved-db is bad"));
            };
            dev.helmsdk.api.HelmOperationException e = assertThrows(dev.helmsdk.api.HelmOperationException.class, () -> ResolveSecretsStage
                    .forRequests(resolution, java.util.Optional::empty, () -> access -> { }, null, null)
                    .run(install(false, false).withValues(Map.of("password", "ref+fake://db")), fails));
            assertEquals("failed: <redacted> is bad", e.getMessage());
            assertEquals("<redacted> is bad", e.helmMessage());
            assertEquals("java.lang.IllegalStateException: Helm said <redacted> is bad", e.getCause().getMessage());
        }

        @Test
        void aFailureStopsTheChangeBeforeTheRestRuns() {
            Rest rest = new Rest();
            assertThrows(dev.helmsdk.api.secrets.SecretResolutionException.class, () -> ResolveSecretsStage.forRequests(resolution, java.util.Optional::empty, () -> access -> { }, null, null)
                    .run(install(false, false).withValues(Map.of("password", "ref+vault://secret/db")), rest));
            assertTrue(rest.seen.isEmpty());
        }

        @Test
        void switchedOffItTakesNoPart() {
            assertFalse(ResolveSecretsStage.forRequests(null, java.util.Optional::empty, () -> access -> { }, null, null).appliesTo(install(false, false)));
        }
    }

    @Nested
    class ReadCurrent {
        final ReleaseStore store = mock(ReleaseStore.class);
        final ReadCurrentStage stage = new ReadCurrentStage(store);

        @Test
        void anUninstallReturnsTheReleaseAsItWasBefore() {
            when(store.revision(Operation.UNINSTALL, "apps", "web", 0)).thenReturn(stored(3, ReleaseStatus.DEPLOYED, Map.of()));
            Rest rest = new Rest();
            stage.run(uninstall(), rest);
            assertEquals(3, rest.only().releaseResult().revision());
        }

        @Test
        void aMissingReleaseIsNotFoundBeforeAnythingElse() {
            when(store.revision(any(), any(), any(), anyInt())).thenThrow(ReleaseStore.notFound(Operation.UNINSTALL, "apps", "web"));
            Rest rest = new Rest();
            assertThrows(ReleaseNotFoundException.class, () -> stage.run(uninstall(), rest));
            assertTrue(rest.seen.isEmpty());
            assertFalse(stage.appliesTo(install(false, false)));
        }
    }

    @Nested
    class Lock {
        final ReleaseLocks locks = mock(ReleaseLocks.class);
        final HeldRelease held = mock(HeldRelease.class);
        final LockStage stage = new LockStage(locks);

        @Test
        void holdsTheReleaseForTheRestAndGivesItBack() {
            when(locks.acquire(Operation.INSTALL, "apps", "web", T.start())).thenReturn(held);
            Rest rest = new Rest();
            stage.run(install(false, false), rest);
            assertTrue(rest.only().lockHeld());
            var order = inOrder(locks, held);
            order.verify(locks).acquire(Operation.INSTALL, "apps", "web", T.start());
            order.verify(held).close();
        }

        @Test
        void givesItBackWhenTheChangeFails() {
            when(locks.acquire(any(), any(), any(), any())).thenReturn(held);
            Rest rest = new Rest();
            rest.failure = new HelmOperationException(Operation.INSTALL, "web", "boom", "boom", null);
            assertThrows(HelmOperationException.class, () -> stage.run(install(false, false), rest));
            verify(held).close();
        }

        @Test
        void neitherForDryRunsNorForARemediationInsideAHeldChange() {
            assertFalse(stage.appliesTo(ChangeContext.dryRun(deploy(), false, DryRunMode.SERVER)));
            assertFalse(stage.appliesTo(ChangeContext.template(deploy())));
            assertFalse(stage.appliesTo(rollback(1).withLockHeld()));
            assertTrue(stage.appliesTo(rollback(1)));
            assertTrue(stage.appliesTo(uninstall()));
        }
    }

    @Nested
    class SnapshotHistory {
        final ReleaseStore store = mock(ReleaseStore.class);
        final SnapshotHistoryStage stage = new SnapshotHistoryStage(store);

        @Test
        void takesTheStatusesWhenAWaitOrAnUndoNeedsThem() {
            SortedMap<Integer, ReleaseStatus> statuses = new TreeMap<>(Map.of(1, ReleaseStatus.SUPERSEDED, 2, ReleaseStatus.DEPLOYED));
            when(store.statuses(Operation.INSTALL, "apps", "web")).thenReturn(statuses);
            Rest rest = new Rest();
            stage.run(install(true, false), rest);
            assertEquals(statuses, rest.only().earlier());
            assertEquals(2, rest.only().deployedBefore());
        }

        @Test
        void costsNoReadOtherwise() {
            assertFalse(stage.appliesTo(install(false, false)));
            assertTrue(stage.appliesTo(install(false, true)));
            assertFalse(stage.appliesTo(ChangeContext.dryRun(deploy().toBuilder().readiness(Readiness.ofDefaults().withEnabled(true)).build(), false, DryRunMode.SERVER)));
            assertFalse(stage.appliesTo(rollback(0)));
        }
    }

    @Nested
    class ChooseRollbackTarget {
        final ReleaseStore store = mock(ReleaseStore.class);
        final ChooseRollbackTargetStage stage = new ChooseRollbackTargetStage(store, JSON);

        @Test
        void theRevisionBeforeTheLatestByDefaultWithItsValues() {
            when(store.revisions(Operation.ROLLBACK, "apps", "web")).thenReturn(List.of(
                    stored(1, ReleaseStatus.SUPERSEDED, Map.of("tag", "a")), stored(2, ReleaseStatus.SUPERSEDED, Map.of("tag", "b")),
                    stored(3, ReleaseStatus.FAILED, Map.of("tag", "c"))));
            Rest rest = new Rest();
            stage.run(rollback(0), rest);
            ChangeContext c = rest.only();
            assertEquals(2, c.target().revision());
            assertEquals(Map.of("tag", "b"), c.values());
            assertEquals(Map.of(1, ReleaseStatus.SUPERSEDED, 2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.FAILED), c.earlier());
        }

        @Test
        void aSingleRevisionHasNothingToGoBackTo() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(1, ReleaseStatus.DEPLOYED, Map.of())));
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> stage.run(rollback(0), new Rest()));
            assertTrue(e.getMessage().contains("single revision"), e.getMessage());
        }

        @Test
        void aSingleRevisionNamedExplicitlyIsRedeployedAsHelmAllows() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(1, ReleaseStatus.DEPLOYED, Map.of("tag", "a"))));
            Rest rest = new Rest();
            stage.run(rollback(1), rest);
            assertEquals(1, rest.only().target().revision());
            assertEquals(Map.of("tag", "a"), rest.only().values());
        }

        @Test
        void aMissingRevisionNamesTheStoredOnes() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(1, ReleaseStatus.SUPERSEDED, Map.of()),
                    stored(2, ReleaseStatus.DEPLOYED, Map.of())));
            ReleaseNotFoundException e = assertThrows(ReleaseNotFoundException.class, () -> stage.run(rollback(7), new Rest()));
            assertTrue(e.getMessage().contains("no revision 7") && e.getMessage().contains("[1, 2]"), e.getMessage());
        }

        @Test
        void aReleaseWithoutRevisionsIsNotFound() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of());
            assertThrows(ReleaseNotFoundException.class, () -> stage.run(rollback(0), new Rest()));
        }
    }

    @Nested
    class RebuildChart {
        @TempDir
        Path work;

        @Test
        void theRebuiltChartLivesOnlyAsLongAsTheChange() throws Exception {
            ChartRebuilder rebuilder = mock(ChartRebuilder.class);
            when(rebuilder.rebuild(any(), any())).thenAnswer(a -> Files.createDirectories(a.getArgument(1, Path.class)));
            RebuildChartStage stage = new RebuildChartStage(rebuilder, work);
            AtomicReference<Path> during = new AtomicReference<>();
            Rest rest = new Rest() {
                @Override
                public ChangeContext run(ChangeContext c) {
                    during.set(Path.of(c.chart().reference()));
                    assertTrue(Files.isDirectory(during.get()));
                    throw new HelmOperationException(Operation.ROLLBACK, "web", "boom", "boom", null);
                }
            };
            assertThrows(HelmOperationException.class, () -> stage.run(rollback(1).withTarget(stored(1, ReleaseStatus.SUPERSEDED,
                    Map.of())), rest));
            assertFalse(Files.exists(during.get()), "deleted even though the change failed");
        }
    }

    @Nested
    class WriteValues {
        @TempDir
        Path work;

        @Test
        void aPrivateFileWhileHelmNeedsItDeletedAfterwards() throws Exception {
            AtomicReference<Path> file = new AtomicReference<>();
            Rest rest = new Rest() {
                @Override
                public ChangeContext run(ChangeContext c) {
                    file.set(c.valuesFile());
                    try {
                        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.valuesFile())));
                        assertEquals(Map.of("replicas", 2), JSON.readValue(c.valuesFile().toFile(), Map.class));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    throw new OperationTimeoutException(Operation.INSTALL, "web", Duration.ofSeconds(1), "late", null);
                }
            };
            WriteValuesStage stage = new WriteValuesStage(work);
            assertThrows(OperationTimeoutException.class, () -> stage.run(install(false, false).withValues(Map.of("replicas", 2)), rest));
            assertFalse(Files.exists(file.get()));
            assertFalse(stage.appliesTo(uninstall()), "nothing to write without values");
        }
    }

    @Nested
    class Remediate {
        final ReleaseStore store = mock(ReleaseStore.class);
        final OperationRunner runner = mock(OperationRunner.class);
        final List<ChangeContext> undone = new ArrayList<>();
        final List<Operation> nested = new ArrayList<>();
        RuntimeException undoFails;
        final RemediateStage stage = new RemediateStage(store, runner, c -> {
            undone.add(c);
            if (undoFails != null) {
                throw undoFails;
            }
            return c.withResult(release(5));
        });

        Remediate() {
            when(runner.runNested(any(), eq("web"), eq("apps"), any())).thenAnswer(a -> {
                nested.add(a.getArgument(0));
                return a.getArgument(3, Supplier.class).get();
            });
        }

        ChangeContext failedUpgradeFrom(int deployed) {
            return ChangeContext.upgrade(deploy().toBuilder().rollbackOnFailure(true).build())
                    .withEarlier(new TreeMap<>(Map.of(deployed, ReleaseStatus.DEPLOYED)));
        }

        @Test
        void aFailedUpgradeIsRolledBackThroughTheRunnerHoldingTheLock() {
            when(store.revisions(Operation.UPGRADE, "apps", "web")).thenReturn(List.of(stored(3, ReleaseStatus.SUPERSEDED, Map.of()),
                    stored(4, ReleaseStatus.FAILED, Map.of())));
            Rest rest = new Rest();
            rest.failure = new ReadinessFailedException(Operation.UPGRADE, "web", List.of("pod crash loop"), "not ready");
            AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> stage.run(failedUpgradeFrom(3), rest));
            assertEquals(3, e.restoredRevision().getAsInt());
            assertSame(rest.failure, e.getCause());
            assertEquals(List.of(Operation.ROLLBACK), nested);
            ChangeContext back = undone.get(0);
            assertEquals(Operation.ROLLBACK, back.kind());
            assertTrue(back.lockHeld(), "inside the change's lock");
            assertEquals(3, back.rollback().revision());
            assertTrue(back.waitReady());
            assertEquals(T.cleanup(), back.timeouts().readiness(), "the undo's wait gets the cleanup limit");
        }

        @Test
        void aFailedFirstInstallIsUninstalled() {
            when(store.revisions(Operation.INSTALL, "apps", "web")).thenReturn(List.of(stored(1, ReleaseStatus.FAILED, Map.of())));
            Rest rest = new Rest();
            rest.failure = new HelmOperationException(Operation.INSTALL, "web", "hook failed", "hook failed", null);
            AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> stage.run(install(false, true), rest));
            assertTrue(e.rolledBack() && e.restoredRevision().isEmpty());
            assertEquals(List.of(Operation.UNINSTALL), nested);
            assertEquals(Operation.UNINSTALL, undone.get(0).kind());
            assertFalse(undone.get(0).uninstall().keepHistory());
            assertEquals(T.cleanup(), undone.get(0).timeouts().start());
        }

        @Test
        void nothingIsUndoneWhenHelmRecordedNothing() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(3, ReleaseStatus.DEPLOYED, Map.of())));
            Rest rest = new Rest();
            rest.failure = new HelmOperationException(Operation.UPGRADE, "web", "render failed", "render failed", null);
            assertSame(rest.failure, assertThrows(HelmOperationException.class, () -> stage.run(failedUpgradeFrom(3), rest)));
            assertTrue(undone.isEmpty());
        }

        @Test
        void badInputIsNeverUndone() {
            Rest rest = new Rest();
            rest.failure = new InvalidRequestException(Operation.UPGRADE, "web", "bad");
            assertThrows(InvalidRequestException.class, () -> stage.run(failedUpgradeFrom(3), rest));
            verifyNoInteractions(store);
        }

        @Test
        void anUndoThatFailsTooIsReportedWithTheOriginalFailure() {
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(3, ReleaseStatus.SUPERSEDED, Map.of()),
                    stored(4, ReleaseStatus.FAILED, Map.of())));
            undoFails = new HelmOperationException(Operation.ROLLBACK, "web", "api down", "api down", null);
            Rest rest = new Rest();
            rest.failure = new HelmOperationException(Operation.UPGRADE, "web", "apply failed", "apply failed", null);
            AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> stage.run(failedUpgradeFrom(3), rest));
            assertFalse(e.rolledBack());
            assertSame(undoFails, e.rollbackFailure().orElseThrow());
        }

        @Test
        void onlyWhenAsked() {
            assertFalse(stage.appliesTo(install(true, false)));
            assertFalse(stage.appliesTo(ChangeContext.dryRun(deploy().toBuilder().rollbackOnFailure(true).build(), true, DryRunMode.SERVER)));
        }
    }

    @Nested
    class Apply {
        final HelmExecution helm = helmExecution();
        final ReleaseStore store = mock(ReleaseStore.class);
        final ApplyStage stage = new ApplyStage(helm, new StuckRecovery(store, null, signal -> { }), store);

        HelmCall ran() {
            ArgumentCaptor<HelmCall> call = ArgumentCaptor.forClass(HelmCall.class);
            verify(helm).execute(org.mockito.ArgumentMatchers.<ChangeContext>argThat(c -> c.release().equals("web") && c.namespace().equals("apps")), call.capture());
            return call.getValue();
        }

        @Test
        void anUpgradeWithItsFlagsAndTheRevisionHelmRecorded() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("", 4, null, false));
            ChangeContext c = ChangeContext.upgrade(deploy().toBuilder().upgrade(DeploySpec.Upgrade.ofDefaults().withReuseValues(true).withForce(true))
                    .readiness(Readiness.ofDefaults().withEnabled(true)).build())
                    .withChart(CHART).withValuesFile(Path.of("/tmp/values.json"));
            Rest rest = new Rest();
            stage.run(c, rest);
            assertEquals(4, rest.only().revision());
            HelmCall call = ran();
            assertEquals(HelmCall.Kind.UPGRADE, call.kind());
            assertTrue(call.has(HelmCall.Flag.REUSE_VALUES) && call.has(HelmCall.Flag.FORCE));
            assertFalse(call.has(HelmCall.Flag.RESET_VALUES));
            assertEquals("/tmp/values.json", call.valuesFile());
            assertEquals(60, call.timeoutSeconds(), "Helm gets the readiness limit when the change waits");
        }

        @Test
        void anInstallNeverGetsUpgradeFlags() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("", 1, null, false));
            stage.run(install(false, false).withChart(CHART), new Rest());
            HelmCall call = ran();
            assertEquals(HelmCall.Kind.INSTALL, call.kind());
            assertEquals(30, call.timeoutSeconds());
            assertFalse(call.has(HelmCall.Flag.INSTALL_IF_ABSENT));
        }

        @Test
        void anUninstallKeepsHistoryWhenAsked() {
            stage.run(uninstall(), new Rest());
            HelmCall call = ran();
            assertEquals(HelmCall.Kind.UNINSTALL, call.kind());
            assertTrue(call.has(HelmCall.Flag.KEEP_HISTORY));
        }

        @Test
        void aStuckReleaseIsReportedAsStuckWithoutRecovery() {
            when(helm.execute(any(ChangeContext.class), any())).thenThrow(new HelmOperationException(Operation.UPGRADE, "web", "another operation (install/upgrade/rollback) is in progress", "another operation (install/upgrade/rollback) is in progress", null));
            when(store.revisions(any(), any(), any())).thenReturn(List.of(stored(2, ReleaseStatus.PENDING_UPGRADE, Map.of())));
            Rest rest = new Rest();
            assertThrows(dev.helmsdk.api.ReleaseStuckException.class, () -> stage.run(ChangeContext.upgrade(deploy()).withChart(CHART), rest));
            assertTrue(rest.seen.isEmpty());
        }

        @Test
        void notForRollbacksDryRunsOrTemplates() {
            assertFalse(stage.appliesTo(rollback(0)));
            assertFalse(stage.appliesTo(ChangeContext.dryRun(deploy(), false, DryRunMode.SERVER)));
            assertFalse(stage.appliesTo(ChangeContext.template(deploy())));
        }
    }

    @Nested
    class ApplyRollback {
        final HelmExecution helm = helmExecution();
        final ReleaseStore store = mock(ReleaseStore.class);
        final ApplyRollbackStage stage = new ApplyRollbackStage(helm, new StuckRecovery(store, null, signal -> { }), store);

        ChangeContext toRevision2(ReleaseStatus latest) {
            return rollback(2).withTarget(stored(2, ReleaseStatus.SUPERSEDED, Map.of())).withChart(CHART)
                    .withEarlier(new TreeMap<>(Map.of(1, ReleaseStatus.SUPERSEDED, 2, ReleaseStatus.SUPERSEDED, 3, latest)));
        }

        @Test
        void aPendingLatestRevisionLooksDeployedToTheUpgradeItRunsThrough() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("", 4, null, false));
            Rest rest = new Rest();
            stage.run(toRevision2(ReleaseStatus.PENDING_UPGRADE), rest);
            var order = inOrder(store, helm);
            order.verify(store).setStatus(Operation.ROLLBACK, "apps", "web", 3, ReleaseStatus.DEPLOYED, null);
            ArgumentCaptor<HelmCall> call = ArgumentCaptor.forClass(HelmCall.class);
            order.verify(helm).execute(any(ChangeContext.class), call.capture());
            assertEquals("Rollback to 2", call.getValue().description());
            assertTrue(call.getValue().has(HelmCall.Flag.RESET_VALUES));
            assertEquals(4, rest.only().revision());
        }

        @Test
        void aDeployedLatestRevisionIsLeftAlone() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("", 4, null, false));
            stage.run(toRevision2(ReleaseStatus.DEPLOYED), new Rest());
            verify(store, never()).setStatus(any(), any(), any(), anyInt(), any(), any());
        }

        @Test
        void aFailedApplyThatHelmRecordedIsDescribedAsAFailedRollback() {
            when(helm.execute(any(ChangeContext.class), any())).thenThrow(new HelmOperationException(Operation.ROLLBACK, "web", "apply failed", "apply failed", null));
            when(store.statuses(any(), any(), any())).thenReturn(new TreeMap<>(Map.of(1, ReleaseStatus.SUPERSEDED,
                    2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.SUPERSEDED, 4, ReleaseStatus.FAILED)));
            StoredRelease failed = stored(4, ReleaseStatus.FAILED, Map.of()).withStatus("failed", "Upgrade \"web\" failed: apply failed");
            when(store.revision(Operation.ROLLBACK, "apps", "web", 4)).thenReturn(failed);
            assertThrows(HelmOperationException.class, () -> stage.run(toRevision2(ReleaseStatus.DEPLOYED), new Rest()));
            verify(store).restoreStatuses(Operation.ROLLBACK, "apps", "web", Map.of(1, ReleaseStatus.SUPERSEDED,
                    2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.SUPERSEDED));
            verify(store).setStatus(Operation.ROLLBACK, "apps", "web", 4, ReleaseStatus.FAILED, "Rollback \"web\" failed: apply failed");
        }

        @Test
        void aFailureBeforeHelmRecordedAnythingPutsEveryStatusBack() {
            when(helm.execute(any(ChangeContext.class), any())).thenThrow(new HelmOperationException(Operation.ROLLBACK, "web", "refused", "refused", null));
            when(store.statuses(any(), any(), any())).thenReturn(new TreeMap<>(Map.of(1, ReleaseStatus.SUPERSEDED,
                    2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.DEPLOYED)));
            assertThrows(HelmOperationException.class, () -> stage.run(toRevision2(ReleaseStatus.PENDING_UPGRADE), new Rest()));
            verify(store).restoreStatuses(Operation.ROLLBACK, "apps", "web", Map.of(1, ReleaseStatus.SUPERSEDED,
                    2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.PENDING_UPGRADE));
        }

        @Test
        void aRepairThatFailsNeverHidesTheFailure() {
            HelmOperationException refused = new HelmOperationException(Operation.ROLLBACK, "web", "refused", "refused", null);
            when(helm.execute(any(ChangeContext.class), any())).thenThrow(refused);
            when(store.statuses(any(), any(), any())).thenThrow(new IllegalStateException("api gone"));
            assertSame(refused, assertThrows(HelmOperationException.class, () -> stage.run(toRevision2(ReleaseStatus.DEPLOYED), new Rest())));
            assertEquals("api gone", refused.getSuppressed()[0].getMessage());
        }
    }

    @Nested
    class DryRun {
        final HelmExecution helm = helmExecution();
        final TemplateRenderer renderer = mock(TemplateRenderer.class);
        final DryRunStage stage = new DryRunStage(helm, renderer, new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()));
        final ChartSource.Resolved remote = new ChartSource.Resolved("/cache/hello-1.2.0.tgz", null, "hello", "1.2.0");

        @Test
        void aClientDryRunRendersLikeAnInstallForTheRequestedKubernetesVersion() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("NOTES:\nhi\n", 0, null, false));
            RenderedManifest rendered = new RenderedManifest("", List.of());
            when(renderer.render(any(), any(), any(), any())).thenReturn(rendered);
            Rest rest = new Rest();
            stage.run(ChangeContext.dryRun(deploy().toBuilder().rendering(DeploySpec.Rendering.ofDefaults().withKubeVersion("v1.31.0")).build(), true, DryRunMode.CLIENT).withChart(remote), rest);
            ArgumentCaptor<HelmCall> call = ArgumentCaptor.forClass(HelmCall.class);
            verify(helm).execute(org.mockito.ArgumentMatchers.<ChangeContext>argThat(c -> c.op() == Operation.DRY_RUN), call.capture());
            assertEquals(HelmCall.Kind.INSTALL, call.getValue().kind());
            assertEquals("client", call.getValue().dryRun());
            assertTrue(call.getValue().has(HelmCall.Flag.CLIENT_ONLY));
            assertEquals("v1.31.0", call.getValue().kubeVersion());
            assertNull(call.getValue().kubeConfigFile());
            DryRunResult r = rest.only().dryRunResult();
            assertTrue(r.upgrade());
            assertEquals("hello", r.chartName());
            assertEquals("1.2.0", r.chartVersion());
            assertSame(rendered, r.rendered());
        }

        @Test
        void aServerDryRunOfAnUpgradeAsksForHelmsComputedValues() {
            when(helm.execute(any(ChangeContext.class), any())).thenReturn(new HelmCall.Result("", 0, null, false));
            when(renderer.render(any(), any(), any(), any())).thenReturn(new RenderedManifest("", List.of()));
            stage.run(ChangeContext.dryRun(deploy().toBuilder().upgrade(DeploySpec.Upgrade.ofDefaults().withReuseValues(true)).build(), true, DryRunMode.SERVER).withChart(remote),
                    new Rest());
            ArgumentCaptor<HelmCall> call = ArgumentCaptor.forClass(HelmCall.class);
            verify(helm).execute(any(ChangeContext.class), call.capture());
            assertEquals(HelmCall.Kind.UPGRADE, call.getValue().kind());
            assertEquals("server", call.getValue().dryRun());
            assertTrue(call.getValue().has(HelmCall.Flag.DEBUG) && call.getValue().has(HelmCall.Flag.REUSE_VALUES));
        }
    }

    @Nested
    class Render {
        @Test
        void aTemplatesResultIsTheRenderedManifest() {
            TemplateRenderer renderer = mock(TemplateRenderer.class);
            RenderedManifest rendered = new RenderedManifest("kind: ConfigMap\n", List.of());
            when(renderer.render(eq(Operation.TEMPLATE), any(), eq(CHART), any())).thenReturn(rendered);
            Rest rest = new Rest();
            new RenderStage(renderer).run(ChangeContext.template(deploy()).withChart(CHART), rest);
            assertSame(rendered, rest.only().renderedResult());
        }
    }

    @Nested
    class AwaitReady {
        final ReadinessPhase readiness = mock(ReadinessPhase.class);
        final ReleaseStore store = mock(ReleaseStore.class);
        final AwaitReadyStage stage = new AwaitReadyStage(readiness, store);
        final SortedMap<Integer, ReleaseStatus> earlier = new TreeMap<>(Map.of(1, ReleaseStatus.SUPERSEDED, 2, ReleaseStatus.FAILED));

        @Test
        void aRevisionThatDoesNotBecomeReadyLeavesTheEarlierOnesAsTheyWere() {
            doThrow(new ReadinessFailedException(Operation.UPGRADE, "web", List.of("crash loop"), "not ready"))
                    .when(readiness).awaitReadyAndHealthy(any(), any(), any(), anyInt(), any(), any(), any(), anyString());
            ChangeContext c = ChangeContext.upgrade(deploy().toBuilder().readiness(Readiness.ofDefaults().withEnabled(true)).build()).withEarlier(earlier).withRevision(3);
            Rest rest = new Rest();
            assertThrows(ReadinessFailedException.class, () -> stage.run(c, rest));
            verify(store).restoreStatuses(Operation.UPGRADE, "apps", "web", earlier);
            assertTrue(rest.seen.isEmpty());
        }

        @Test
        void waitsForTheNewRevisionWithinTheReadinessLimitSayingWhatToDoIfItDies() {
            ChangeContext c = ChangeContext.upgrade(deploy().toBuilder().readiness(Readiness.ofDefaults().withEnabled(true)).rollbackOnFailure(true).build())
                    .withEarlier(new TreeMap<>(Map.of(2, ReleaseStatus.DEPLOYED))).withRevision(3);
            Rest rest = new Rest();
            stage.run(c, rest);
            verify(readiness).awaitReadyAndHealthy(eq(Operation.UPGRADE), eq("apps"), eq("web"), eq(3), eq(T.readiness()), any(), any(),
                    eq(AwaitingReadiness.remediation(true, 2)));
            assertEquals(3, rest.only().revision());
            verify(store, never()).restoreStatuses(any(), any(), any(), any());
        }

        @Test
        void theConfirmedRecordIsHandedOnSoNobodyReadsItAgain() {
            StoredRelease confirmed = stored(3, ReleaseStatus.DEPLOYED, Map.of());
            when(readiness.awaitReadyAndHealthy(any(), any(), any(), anyInt(), any(), any(), any(), anyString())).thenReturn(confirmed);
            Rest rest = new Rest();
            stage.run(ChangeContext.upgrade(deploy().toBuilder().readiness(Readiness.ofDefaults().withEnabled(true)).build())
                    .withRevision(3), rest);
            assertSame(confirmed, rest.only().recorded());
            Rest checked = new Rest();
            stage.run(ChangeContext.upgrade(deploy().toBuilder().readiness(Readiness.ofDefaults().plusHealthCheck(
                    dev.helmsdk.core.HealthChecks.helmTests())).build()).withRevision(3), checked);
            assertNull(checked.only().recorded(), "Helm's tests rewrite the record: it must be read back");
        }

        @Test
        void aRollbackIsNeverRemediated() {
            ChangeContext c = ChangeContext.rollback(RollbackSpec.of("web", "apps", T).toBuilder().revision(1).readiness(Readiness.ofDefaults().withEnabled(true)).build()).withRevision(4);
            stage.run(c, new Rest());
            verify(readiness).awaitReadyAndHealthy(any(), any(), any(), eq(4), any(), any(), any(), eq(AwaitingReadiness.NO_REMEDIATION));
            assertFalse(stage.appliesTo(install(false, true)));
        }
    }

    @Nested
    class Record {
        final ReleaseStore store = mock(ReleaseStore.class);

        @Test
        void aRollbackSupersedesWhatWasDeployedAndReturnsTheNewRevision() {
            when(store.revision(Operation.ROLLBACK, "apps", "web", 4)).thenReturn(stored(4, ReleaseStatus.DEPLOYED, Map.of()));
            ChangeContext c = rollback(2).withEarlier(new TreeMap<>(Map.of(2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.DEPLOYED)))
                    .withRevision(4);
            Rest rest = new Rest();
            new RecordStage(store, 0).run(c, rest);
            verify(store).restoreStatuses(Operation.ROLLBACK, "apps", "web", Map.of(2, ReleaseStatus.SUPERSEDED, 3, ReleaseStatus.SUPERSEDED));
            assertEquals(4, rest.only().releaseResult().revision());
            verify(store, never()).pruneHistoryAndGet(any(), any(), any(), anyInt(), anyInt());
        }

        @Test
        void aRecordTheWaitWroteLastIsReturnedWithoutAGet() {
            StoredRelease confirmed = stored(3, ReleaseStatus.DEPLOYED, Map.of());
            Rest rest = new Rest();
            new RecordStage(store, 10).run(ChangeContext.upgrade(deploy()).withRevision(3).withRecorded(confirmed), rest);
            assertEquals(3, rest.only().releaseResult().revision());
            verify(store, never()).revision(any(), any(), any(), anyInt());
        }

        @Test
        void prunesOnlyOnceThereCanBeMoreRevisionsThanKept() {
            when(store.revision(any(), any(), any(), anyInt())).thenAnswer(a -> stored(a.getArgument(3), ReleaseStatus.DEPLOYED, Map.of()));
            when(store.pruneHistoryAndGet(any(), any(), any(), anyInt(), anyInt()))
                    .thenAnswer(a -> stored(a.getArgument(4), ReleaseStatus.DEPLOYED, Map.of()));
            RecordStage stage = new RecordStage(store, 10);
            Rest rest = new Rest();
            stage.run(ChangeContext.upgrade(deploy()).withRevision(10), rest);
            verify(store, never()).pruneHistoryAndGet(any(), any(), any(), anyInt(), anyInt());
            stage.run(ChangeContext.upgrade(deploy()).withRevision(11), rest);
            verify(store).pruneHistoryAndGet(Operation.UPGRADE, "apps", "web", 10, 11);
            verify(store).revision(Operation.UPGRADE, "apps", "web", 10);
            verify(store, never()).revision(Operation.UPGRADE, "apps", "web", 11);   // the pruning LIST gave it
            assertEquals(11, rest.seen.get(1).releaseResult().revision());
            verify(store, never()).restoreStatuses(any(), any(), any(), any());
        }
    }
}
