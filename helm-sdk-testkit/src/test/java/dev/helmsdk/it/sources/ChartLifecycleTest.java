package dev.helmsdk.it.sources;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartDependencyException;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart lifecycle against the real servers: package, push and pull through a real docker-registry with htpasswd
 * auth over TLS; dependency update and build from a real nginx repository, compared with Helm's own
 * ({@code helm dependency update/build} in process); refusals of hostile and truncated archives, stale locks and
 * floating versions, with nothing left half-written.
 */
@Tag("integration")
class ChartLifecycleTest {

    @Test
    void packagePushPullRoundTripWithTheProvidersCredentials(@TempDir Path tmp) throws Exception {
        try (OciRegistryServer registry = OciRegistryServer.startHtpasswdTlsOrSkip("push-user", "Push-Right-pw1")) {
            String target = registry.ociUri("charts").toString();
            Credentials.TrustedCertificates ca = new Credentials.TrustedCertificates(Files.readString(registry.pki().caCert()));
            ChartSources right = ChartSources.builder().credentials(StaticCredentialProvider.of(registry.ociUri("charts"),
                    new Credentials.BasicAuth("push-user", "Push-Right-pw1"), ca)).build();
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(right).build()) {
                ChartLifecycle.Packaged packaged = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("out"));
                assertEquals(tmp.resolve("out").resolve(SourceCharts.ARCHIVE), packaged.archive());
                assertEquals(List.of(SourceCharts.ARCHIVE), names(tmp.resolve("out")), "only the archive, no staging left");

                ChartLifecycle.Pushed pushed = charts.push(packaged.archive(), target);
                assertEquals(target + "/" + SourceCharts.NAME + ":" + SourceCharts.VERSION, pushed.reference());

                ChartLifecycle.Pulled pulled = charts.pull(ChartRef.oci(target + "/" + SourceCharts.NAME, "^0.3"), tmp.resolve("pulled"));
                assertEquals(SourceCharts.VERSION, pulled.version());
                assertEquals(packaged.digest(), pulled.digest(), "the bytes that were pushed come back");
                assertArrayEquals(Files.readAllBytes(packaged.archive()), Files.readAllBytes(pulled.path()));

                // pinned by the manifest digest the push returned
                ChartLifecycle.Pulled untarred = charts.pullUntarred(ChartRef.oci(target + "/" + SourceCharts.NAME + "@" + pushed.digest(), null),
                        tmp.resolve("untarred"));
                assertEquals(tmp.resolve("untarred").resolve(SourceCharts.NAME), untarred.path());
                assertEquals(Files.readString(SourceCharts.chartDir().resolve("values.yaml")), Files.readString(untarred.path().resolve("values.yaml")));
                assertThrows(dev.helmsdk.api.InvalidRequestException.class,
                        () -> charts.pullUntarred(ChartRef.oci(target + "/" + SourceCharts.NAME, SourceCharts.VERSION), tmp.resolve("untarred")),
                        "an existing directory is not overwritten");
            }

            ChartSources wrong = ChartSources.builder().credentials(StaticCredentialProvider.of(registry.ociUri("charts"),
                    new Credentials.BasicAuth("push-user", "Wrong-pw-2"), ca)).build();
            Path other = SourceCharts.packageVersion(tmp.resolve("v9"), "0.9.0");
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(wrong).build()) {
                ChartSourceException refused = assertThrows(ChartSourceException.class, () -> charts.push(other, target));
                assertEquals(ChartSourceException.Reason.UNAUTHORIZED, refused.reason());
                assertFalse(refused.getMessage().contains("Wrong-pw-2"), refused.getMessage());
            }
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(right).build()) {
                assertThrows(ChartNotFoundException.class, () -> charts.pull(ChartRef.oci(target + "/" + SourceCharts.NAME, "0.9.0"), tmp.resolve("none")),
                        "the refused push left no tag");
            }
        }
    }

    @Test
    void helmItselfInstallsWhatThePushWrote(@TempDir Path tmp) {
        try (OciRegistryServer registry = OciRegistryServer.startPlainOrSkip();
             ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(ChartSources.builder().plainHttp(registry.host()).build()).build()) {
            ChartLifecycle.Packaged packaged = charts.packageChart(SourceCharts.chartDir(), tmp);
            charts.push(packaged.archive(), registry.ociUri("charts").toString());
            String manifest = Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME).withVersion(SourceCharts.VERSION)
                    .withName("web").plainHttp().call();
            assertTrue(manifest.contains("kind: Deployment"), manifest);
        }
    }

    @Test
    void pullOfAHostileArchiveIsRefusedAndWritesNothing(@TempDir Path tmp) throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            Path www = repo.dir().resolve("www");
            Path evil = www.resolve("evil-1.0.0.tgz");
            Files.write(evil, tgz(Map.of("evil/Chart.yaml", "apiVersion: v2\nname: evil\nversion: 1.0.0\n", "evil/../../escape.txt", "x")));
            writeIndex(www, evil, "evil", "1.0.0", true);
            try (ChartLifecycle charts = lifecycle(repo)) {
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> charts.pullUntarred(ChartRef.repository(repo.uri().toString(), "evil", "1.0.0"), tmp.resolve("pulled")));
                assertEquals(ChartSourceException.Reason.INVALID_CONTENT, e.reason());
                assertTrue(e.getMessage().contains("'..'"), e.getMessage());
            }
            assertEquals(List.of(), names(tmp.resolve("pulled")));
            assertFalse(Files.exists(tmp.resolve("escape.txt")));
        }
    }

    @Test
    void dependencyUpdateAndBuildEqualHelmsOwn(@TempDir Path tmp) throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            Path www = repo.dir().resolve("www");
            Path v2 = SourceCharts.packageVersion(www, "0.2.0");
            Path v25 = SourceCharts.packageVersion(www, "0.2.5");
            writeIndex(www, Map.of("0.2.0", v2, "0.2.5", v25, SourceCharts.VERSION, www.resolve(SourceCharts.ARCHIVE)));
            Path ours = umbrella(tmp.resolve("ours"), repo, "~0.2.0");
            Path helms = umbrella(tmp.resolve("helms"), repo, "~0.2.0");
            try (ChartLifecycle charts = lifecycle(repo)) {
                ChartLifecycle.Dependencies updated = charts.dependencyUpdate(ours);
                helmDependencyUpdate(helms);
                assertTrue(updated.lockWritten());
                assertEquals(List.of("sdk-web 0.2.5", "lib 0.1.0"), updated.dependencies().stream().map(d -> d.name() + " " + d.version()).toList());
                assertEquals(withoutGenerated(helms.resolve("Chart.lock")), withoutGenerated(ours.resolve("Chart.lock")));
                assertSameCharts(helms.resolve("charts"), ours.resolve("charts"));
                assertEquals(List.of("Chart.lock", "Chart.yaml", "charts", "templates"), names(ours), "no staging left");

                // build from the lock Helm wrote: Helm's archives
                Path fromHelmsLock = copyWithoutCharts(helms, tmp.resolve("from-helms-lock"));
                ChartLifecycle.Dependencies built = charts.dependencyBuild(fromHelmsLock);
                assertFalse(built.lockWritten());
                assertSameCharts(helms.resolve("charts"), fromHelmsLock.resolve("charts"));
                // Helm accepts our lock's digest: its build passes the digest check and stops only at the next step,
                // since helm-java 0.0.21 gives Helm's dependency manager no repositories.yaml to find the URL in
                Path fromOurLock = copyWithoutCharts(ours, tmp.resolve("from-our-lock"));
                Exception helmOnOurs = assertThrows(IllegalStateException.class, () -> new Helm(fromOurLock).dependency().build().call());
                assertTrue(helmOnOurs.getMessage().startsWith("no repository definition for " + repo.uri()), helmOnOurs.getMessage());

                // Chart.yaml changed after the lock: both refuse, ours naming it, nothing touched
                Files.writeString(fromHelmsLock.resolve("Chart.yaml"), Files.readString(fromHelmsLock.resolve("Chart.yaml")).replace("~0.2.0", "^0.3.0"));
                Map<String, byte[]> before = snapshot(fromHelmsLock);
                ChartDependencyException stale = assertThrows(ChartDependencyException.class, () -> charts.dependencyBuild(fromHelmsLock));
                assertEquals("*", stale.dependency());
                assertTrue(stale.getMessage().contains("out of sync"), stale.getMessage());
                Exception helmSays = assertThrows(IllegalStateException.class, () -> new Helm(fromHelmsLock).dependency().build().call());
                assertTrue(helmSays.getMessage().contains("out of sync"), helmSays.getMessage());
                assertSnapshotEquals(before, snapshot(fromHelmsLock));

                // update again with a new constraint: the old archive is replaced, as Helm does
                ChartLifecycle.Dependencies again = charts.dependencyUpdate(fromHelmsLock);
                assertEquals("0.3.0", again.dependencies().get(0).version());
                assertTrue(Files.exists(fromHelmsLock.resolve("charts/sdk-web-0.3.0.tgz")));
                assertFalse(Files.exists(fromHelmsLock.resolve("charts/sdk-web-0.2.5.tgz")));
            }
        }
    }

    @Test
    void aTruncatedDependencyArchiveLeavesTheChartAsItWas(@TempDir Path tmp) throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            Path www = repo.dir().resolve("www");
            Path good = SourceCharts.packageVersion(www, "0.2.0");
            writeIndex(www, Map.of("0.2.0", good));
            Path chart = umbrella(tmp.resolve("chart"), repo, "0.2.0");
            try (ChartLifecycle charts = lifecycle(repo)) {
                charts.dependencyUpdate(chart);
            }
            try (ChartLifecycle charts = lifecycle(repo)) {   // a fresh index cache: it sees the new index at once
                Map<String, byte[]> before = snapshot(chart);

                byte[] whole = Files.readAllBytes(www.resolve(SourceCharts.ARCHIVE));
                Path cut = www.resolve("sdk-web-0.3.0-cut.tgz");
                Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
                writeIndex(www, Map.of("0.2.0", good, SourceCharts.VERSION, cut));
                Files.writeString(chart.resolve("Chart.yaml"), Files.readString(chart.resolve("Chart.yaml")).replace("version: 0.2.0", "version: 0.3.0"));
                before.put("Chart.yaml", Files.readAllBytes(chart.resolve("Chart.yaml")));

                ChartDependencyException e = assertThrows(ChartDependencyException.class, () -> charts.dependencyUpdate(chart));
                assertEquals(SourceCharts.NAME, e.dependency());
                assertEquals(repo.uri().toString(), e.repository());
                ChartSourceException cause = assertInstanceOf(ChartSourceException.class, e.getCause());
                assertEquals(ChartSourceException.Reason.INVALID_CONTENT, cause.reason());
                assertTrue(e.getMessage().contains("truncated"), e.getMessage());
                assertSnapshotEquals(before, snapshot(chart));
            }
        }
    }

    @Test
    void floatingVersionsAreRefusedWhenPinnedOnesAreAskedFor(@TempDir Path tmp) throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            Path floating = umbrella(tmp.resolve("floating"), repo, "^0.3.0");
            Map<String, byte[]> before = snapshot(floating);
            ChartSources sources = ChartSources.builder().plainHttp("127.0.0.1").build();
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).requirePinnedDependencies(true).build()) {
                ChartDependencyException e = assertThrows(ChartDependencyException.class, () -> charts.dependencyUpdate(floating));
                assertEquals(SourceCharts.NAME, e.dependency());
                assertTrue(e.getMessage().contains("'^0.3.0'"), e.getMessage());
                assertThrows(ChartDependencyException.class, () -> charts.packageChart(floating, tmp.resolve("out")));
                assertThrows(ChartDependencyException.class, () -> charts.dependencyBuild(floating), "a build without a lock updates: pinned too");
                assertSnapshotEquals(before, snapshot(floating));
                assertEquals(List.of(), names(tmp.resolve("out")));

                Path pinned = umbrella(tmp.resolve("pinned"), repo, SourceCharts.VERSION);
                ChartLifecycle.Packaged p = charts.packageChart(pinned, tmp.resolve("out"));
                assertEquals("sdk-umbrella-lifecycle-1.0.0.tgz", p.archive().getFileName().toString());
                assertTrue(Files.exists(pinned.resolve("Chart.lock")), "packaging updated the dependencies first");
                assertTrue(entries(p.archive()).containsKey("sdk-umbrella-lifecycle/charts/" + SourceCharts.NAME + "/Chart.yaml"),
                        "the dependency is packaged (Helm stores subcharts unpacked)");
            }
        }
    }

    @Test
    void aSignedPackageCarriesAProvenanceFileGpgVerifies(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk test");   // a throwaway keyring, never the home directory's
             ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            ChartLifecycle.Packaged signed = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("out"),
                    new ChartLifecycle.Signing("helm-sdk test", keys.secring, null));
            Path prov = signed.provenance().orElseThrow();
            assertEquals(SourceCharts.ARCHIVE + ".prov", prov.getFileName().toString());
            String text = Files.readString(prov);
            assertTrue(text.contains(SourceCharts.ARCHIVE + ": " + signed.digest()), text);
            assertTrue(keys.gpgVerifies(prov), "gpg --verify accepts the signature");

            Files.writeString(prov, text.replace(signed.digest(), "sha256:" + "0".repeat(64)));
            assertFalse(keys.gpgVerifies(prov), "a changed provenance file no longer verifies");

            Path elsewhere = tmp.resolve("unsigned");
            dev.helmsdk.api.HelmOperationException noKey = assertThrows(dev.helmsdk.api.HelmOperationException.class,
                    () -> charts.packageChart(SourceCharts.chartDir(), elsewhere, new ChartLifecycle.Signing("nobody", keys.secring, null)));
            assertTrue(noKey.getMessage().contains("nobody"), noKey.getMessage());
            assertEquals(List.of(), names(elsewhere), "nothing half-written");
        }
    }

    // ---- helpers ----

    /**
     * Helm's own {@code dependency update} (helm-java, in process). helm-java 0.0.21 gives Helm's dependency
     * manager no repository cache path, so Helm writes the repositories' indexes into the JVM's working directory:
     * they are deleted here (one more reason the SDK resolves dependencies itself).
     */
    private static void helmDependencyUpdate(Path chart) throws IOException {
        try {
            new Helm(chart).dependency().update().call();
        } finally {
            try (Stream<Path> s = Files.list(Path.of(""))) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith("helm-manager-")).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static ChartLifecycle lifecycle(NginxChartRepository repo) {
        return HelmSdk.chartLifecycle().chartSources(ChartSources.builder().plainHttp("127.0.0.1:" + repo.port()).build()).build();
    }

    /** A chart depending on sdk-web from the repository (by {@code constraint}) and on a local chart by file://. */
    static Path umbrella(Path dir, NginxChartRepository repo, String constraint) throws IOException {
        Path chart = Files.createDirectories(dir.resolve("umbrella"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: sdk-umbrella-lifecycle\nversion: 1.0.0\ndependencies:\n"
                + "- name: " + SourceCharts.NAME + "\n  version: " + constraint + "\n  repository: " + repo.uri() + "\n"
                + "- name: lib\n  version: \">=0.1.0\"\n  repository: file://../lib\n  condition: lib.enabled\n  tags: [base]\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n");
        Path lib = Files.createDirectories(dir.resolve("lib/templates"));
        Files.writeString(lib.getParent().resolve("Chart.yaml"), "apiVersion: v2\nname: lib\nversion: 0.1.0\n");
        Files.writeString(lib.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lib\n");
        return chart;
    }

    private static void writeIndex(Path www, Path archive, String name, String version, boolean withDigest) throws IOException {
        Files.writeString(www.resolve("index.yaml"), "apiVersion: v1\nentries:\n  " + name + ":\n" + entry(archive, name, version, withDigest));
    }

    private static void writeIndex(Path www, Map<String, Path> versions) throws IOException {
        StringBuilder y = new StringBuilder("apiVersion: v1\nentries:\n  " + SourceCharts.NAME + ":\n");
        new TreeMap<>(versions).forEach((v, a) -> y.append(entry(a, SourceCharts.NAME, v, true)));
        Files.writeString(www.resolve("index.yaml"), y.toString());
    }

    private static String entry(Path archive, String name, String version, boolean withDigest) {
        try {
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
            return "  - apiVersion: v2\n    name: " + name + "\n    version: " + version + "\n"
                    + (withDigest ? "    digest: " + digest + "\n" : "") + "    urls:\n    - " + archive.getFileName() + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tgz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
                e.setSize(b.length);
                tar.putArchiveEntry(e);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static String withoutGenerated(Path lock) throws IOException {
        return Files.readString(lock).replaceAll("(?m)^generated: .*\n", "");
    }

    /** The same archive names, remote ones byte for byte, packaged file:// ones entry for entry (their times differ). */
    private static void assertSameCharts(Path expected, Path actual) throws IOException {
        assertEquals(names(expected), names(actual));
        for (String n : names(expected)) {
            Map<String, String> e = entries(expected.resolve(n));
            assertEquals(e, entries(actual.resolve(n)), n);
        }
    }

    private static Map<String, String> entries(Path tgz) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(tgz); TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Path copyWithoutCharts(Path chart, Path to) throws IOException {
        Path dest = Files.createDirectories(to.resolve("umbrella"));
        for (String f : List.of("Chart.yaml", "Chart.lock")) {
            Files.copy(chart.resolve(f), dest.resolve(f));
        }
        Files.createDirectories(dest.resolve("templates"));
        Files.copy(chart.resolve("templates/cm.yaml"), dest.resolve("templates/cm.yaml"));
        Path lib = Files.createDirectories(to.resolve("lib/templates"));
        Files.copy(chart.resolveSibling("lib").resolve("Chart.yaml"), lib.getParent().resolve("Chart.yaml"));
        Files.copy(chart.resolveSibling("lib").resolve("templates/cm.yaml"), lib.resolve("cm.yaml"));
        return dest;
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every path below {@code dir} with its bytes (directories empty): to compare a chart before and after. */
    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                out.put(dir.relativize(p).toString(), Files.isRegularFile(p) ? Files.readAllBytes(p) : new byte[0]);
            }
        }
        return out;
    }

    static void assertSnapshotEquals(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }
}
