package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.testkit.fake.internal.MemoryEngine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.helmsdk.testkit.fake.FakeCharts.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the fake offers (recorded calls, registered charts, opt-in rendering) and its charts, archives and threads. */
class FakeCallsAndChartsTest {

    @Test
    void callsAreRecordedInOrderWithValuesAsGiven() {
        FakeHelmManager fake = FakeHelmManager.create();
        fake.install("web").chart(WEB).set("replicaCount", 2).set("db.password", "ref+vault://secret/db#password").run();
        fake.onNext(Operation.UPGRADE, "web").failsReadiness("deployment/web: CrashLoopBackOff");
        assertThrows(Exception.class, () -> fake.upgrade("web").chart(WEB).set("image.tag", "bad").waitReady().rollbackOnFailure().run());
        fake.status("web").run();

        fake.assertThat()
                .ran(Operation.INSTALL, "web").succeeded().withValue("replicaCount", 2)
                .withValue("db.password", "ref+vault://secret/db#password")
                .then(Operation.UPGRADE, "web").failedWith(dev.helmsdk.api.AutoRollbackException.class).withValue("image.tag", "bad")
                .then(Operation.ROLLBACK, "web").automatic().succeeded()
                .then(Operation.STATUS, "web")
                .never(Operation.UNINSTALL, "web")
                .ranTimes(Operation.INSTALL, "web", 1);
        assertEquals("ref+vault://secret/db#password", ((Map<?, ?>) fake.values("web").run().get("db")).get("password"),
                "the fake resolves nothing: the release records the reference");
        RecordedCall install = fake.calls().get(0);
        assertEquals(WEB, install.chart());
        assertEquals("default", install.namespace());
        assertFalse(install.toString().contains("ref+vault"), "toString shows keys, never values: " + install);

        AssertionError out = assertThrows(AssertionError.class, () -> fake.assertThat().ran(Operation.STATUS, "web").then(Operation.INSTALL, "web"));
        assertTrue(out.getMessage().contains("no install of 'web' after call") && out.getMessage().contains("upgrade default/web"), out.getMessage());
        assertThrows(AssertionError.class, () -> fake.assertThat().ran(Operation.INSTALL, "web").withValue("replicaCount", 3));
        assertThrows(AssertionError.class, () -> fake.assertThat().ran(Operation.UPGRADE, "web").succeeded());
        assertEquals(0, fake.clearCalls().calls().size());
    }

    @Test
    void initialReleasesAreThereAndNotRecorded() {
        FakeHelmManager fake = FakeHelmManager.builder().defaultNamespace("apps")
                .release("apps", "shop", WEB, Map.of("message", "seeded")).build();
        assertEquals(List.of(), fake.calls());
        Release shop = fake.status("shop").run();
        assertEquals(1, shop.revision());
        assertEquals(Map.of("message", "seeded"), fake.values("shop").run());
        assertEquals("apps", fake.defaultNamespace());
    }

    @Test
    void archivesAndRegisteredRemoteChartsAreRead(@TempDir Path tmp) throws Exception {
        Path tgz = tmp.resolve("web-1.2.3.tgz");
        try (OutputStream file = Files.newOutputStream(tgz);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            entry(tar, "web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.2.3\nappVersion: \"9.9\"\n");
            entry(tar, "web/values.yaml", "replicas: 1\nimage:\n  tag: stable\n");
        }
        FakeHelmManager fake = FakeHelmManager.builder().chart(ChartRef.oci("oci://registry.example.com/charts/web", "1.2.3"), tgz).build();
        Release fromArchive = fake.install("a").chart(ChartRef.archive(tgz)).run();
        assertEquals("web-1.2.3", fromArchive.chart());
        assertEquals("9.9", fromArchive.appVersion());
        assertEquals(Map.of("replicas", 1, "image", Map.of("tag", "stable")), fake.values("a").allValues().run());
        Release fromRegistry = fake.install("b").chart(ChartRef.oci("oci://registry.example.com/charts/web", "1.2.3")).run();
        assertEquals("web", fromRegistry.chartName());

        Path notGzip = Files.writeString(tmp.resolve("bad.tgz"), "not an archive");
        assertThrows(dev.helmsdk.api.InvalidRequestException.class, () -> fake.install("c").chart(ChartRef.archive(notGzip)).run(),
                "the real manager's archive check refuses it");
    }

    @Test
    void withoutRenderingManifestsAreEmptyAndChecksSaySo() {
        FakeHelmManager fake = FakeHelmManager.create();
        fake.install("web").chart(WEB).run();
        assertEquals("", fake.manifest("web").run());
        assertEquals(List.of(), fake.template("web").chart(WEB).run().resources());
        assertEquals(List.of(MemoryEngine.NOT_RENDERED), fake.needsUpgrade("web").chart(WEB).run().caveats());
        LintReport lint = fake.lint(WEB).run();
        assertFalse(lint.failed(), lint.messages().toString());
    }

    @Test
    void aRendererGivesManifestsNotesAndManifestComparison(@TempDir Path tmp) throws Exception {
        ChartRenderer renderer = in -> {
            if ("explode".equals(in.values().get("message"))) {
                throw new IllegalStateException("template: web/templates/cm.yaml:3: function \"nope\" not defined");
            }
            return new ChartRenderer.Output("---\n# Source: sdk-web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                    + in.releaseName() + "-config\ndata:\n  message: \"" + in.values().get("message") + "\"\n", in.releaseName() + " says "
                    + in.values().get("message"));
        };
        FakeHelmManager fake = FakeHelmManager.builder().rendering(renderer).build();
        Release r = fake.install("web").chart(WEB).set("message", "v1").run();
        assertEquals("web says v1", r.notes());
        assertTrue(fake.manifest("web").run().contains("message: \"v1\""));
        RenderedManifest t = fake.template("tpl").chart(WEB).run();
        assertEquals("sdk-web/templates/cm.yaml", t.find("ConfigMap", "tpl-config").orElseThrow().source());
        assertTrue(t.manifest().contains("message: \"hello\""), "the chart's default");
        assertEquals(Set.of(Difference.VALUES, Difference.MANIFEST), fake.needsUpgrade("web").chart(WEB).set("message", "v2").run().differences());
        assertEquals(Set.of(Difference.VALUES), fake.needsUpgrade("web").chart(WEB).set("message", "v1").set("unused", 1).run().differences(),
                "a value no template reads changes the values only");
        assertEquals(List.of(), fake.needsUpgrade("web").chart(WEB).set("message", "v1").run().caveats());
        HelmOperationException broken = assertThrows(HelmOperationException.class, () -> fake.upgrade("web").chart(WEB).set("message", "explode").run());
        assertTrue(broken.helmMessage().contains("function \"nope\" not defined"), broken.helmMessage());
        assertEquals(1, fake.history("web").run().size(), "a chart that does not render changes nothing");
        List<dev.helmsdk.api.ReadinessProgress> seen = new ArrayList<>();
        fake.upgrade("web").chart(WEB).set("message", "v3").onProgress(seen::add).waitReady().run();
        assertEquals(List.of("configmap/web-config"), seen.get(seen.size() - 1).resources().stream()
                .map(dev.helmsdk.api.ReadinessProgress.Resource::id).toList(), "the rendered objects, all ready");
    }

    @Test
    void concurrentChangesToOneReleaseNeverInterleave() throws Exception {
        FakeHelmManager fake = FakeHelmManager.builder().maxHistory(0).build();
        fake.install("busy").chart(WEB).run();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Release>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> fake.upgrade(n % 2 == 0 ? "busy" : "other" + (n % 5)).chart(WEB).installIfAbsent()
                        .set("n", n).run()));
            }
            for (Future<Release> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Release> history = fake.history("busy").run();
        assertEquals(101, history.size());
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i + 1, history.get(i).revision(), "revisions are numbered without gaps or repeats");
        }
        assertEquals(1, history.stream().filter(r -> r.status() == dev.helmsdk.api.ReleaseStatus.DEPLOYED).count());
    }

    private static void entry(TarArchiveOutputStream tar, String name, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    @Test
    void callsMadeThroughAnActorsViewAreRecordedAsTheirs() {
        FakeHelmManager fake = FakeHelmManager.create();
        fake.withActor("ci:deploy#7").install("web").chart(WEB).run();
        fake.upgrade("web").chart(WEB).set("message", "two").run();
        fake.assertThat().ran(Operation.INSTALL, "web").by("ci:deploy#7").then(Operation.UPGRADE, "web").by("");
        AssertionError wrong = assertThrows(AssertionError.class, () -> fake.assertThat().ran(Operation.INSTALL, "web").by("someone"));
        assertTrue(wrong.getMessage().contains("by 'ci:deploy#7', not by 'someone'"), wrong.getMessage());
        assertTrue(fake.calls().get(0).toString().endsWith("by ci:deploy#7"), fake.calls().get(0).toString());
        assertThrows(dev.helmsdk.api.InvalidRequestException.class, () -> fake.withActor("two\nlines"));
        fake.withActor("ci:deploy#7").close();
        assertEquals(1, fake.status("web").run().revision() - 1, "closing a view leaves the fake working");
    }
}
