package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.ChartVerificationException.Reason;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code helm install|upgrade --verify --keyring} on a real control plane, with the manager's defaults: charts signed by
 * Helm ({@code helm package --sign}, in process) with a key the real {@code gpg} made, installed verified from a local
 * {@code .tgz}, from the real docker-registry (its provenance layer) and from nginx ({@code <archive>.prov}); a changed
 * archive, an unknown key, a missing {@code .prov}, an edited {@code .prov} and a directory refused before the API server
 * sees a single write, dry runs and upgrades too, the deployed revision untouched; the same with Helm in isolated
 * processes.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class VerifiedInstallTest {

    @TempDir
    static Path tmp;
    static GpgKeys keys;
    static GpgKeys stranger;
    /** sdk-web signed: the archive and its .prov beside it. */
    static ChartLifecycle.Packaged signed;
    /** Another archive (0.3.1) under the signed one's name, beside the signed .prov: gpg accepts the .prov, the digest differs. */
    static Path swapped;
    static Path unsigned;

    @BeforeAll
    static void sign() throws Exception {
        keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
        stranger = GpgKeys.generate(tmp.resolve("stranger"), "someone else");
        try (ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            signed = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("signed"), new ChartLifecycle.Signing(keys.userId, keys.secring, null));
            unsigned = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("unsigned")).archive();
        }
        Path dir = Files.createDirectories(tmp.resolve("swapped"));
        swapped = Files.copy(SourceCharts.packageVersion(tmp.resolve("other"), "0.3.1"), dir.resolve(SourceCharts.ARCHIVE));
        Files.copy(signed.provenance().orElseThrow(), dir.resolve(SourceCharts.ARCHIVE + ".prov"));
    }

    @AfterAll
    static void stopAgents() throws Exception {
        keys.close();
        stranger.close();
    }

    @Test
    void aSignedArchiveInstallsAndUpgradesAndEveryBadOneIsRefusedBeforeTheCluster(HelmManager helm, KubernetesControlPlane cluster,
                                                                                   KubernetesClient kube) {
        ChartRef good = ChartRef.archive(signed.archive());
        Release installed = helm.install("signed").chart(good).verify(keys.pubring).run();
        assertEquals(ReleaseStatus.DEPLOYED, installed.status());
        assertNotNull(kube.apps().deployments().inNamespace("default").withName("signed").get());

        refused(cluster, kube, "swapped", Reason.DIGEST_MISMATCH, Operation.INSTALL,
                () -> helm.install("swapped").chart(ChartRef.archive(swapped)).verify(keys.pubring).run());
        refused(cluster, kube, "stranger", Reason.UNKNOWN_KEY, Operation.INSTALL,
                () -> helm.install("stranger").chart(good).verify(stranger.armoredPubring).run());
        refused(cluster, kube, "unsigned", Reason.NO_PROVENANCE, Operation.INSTALL,
                () -> helm.install("unsigned").chart(ChartRef.archive(unsigned)).verify(keys.pubring).run());
        // Helm's --dry-run --verify fails as the install would: an error, not a finding
        refused(cluster, kube, "dry", Reason.DIGEST_MISMATCH, Operation.DRY_RUN,
                () -> helm.install("dry").chart(ChartRef.archive(swapped)).verify(keys.pubring).dryRun());

        InvalidRequestException directory = assertThrows(InvalidRequestException.class,
                () -> helm.install("unpacked").chart(ChartRef.directory(SourceCharts.chartDir())).verify(keys.pubring).run());
        assertTrue(directory.getMessage().contains("unpacked charts cannot be verified"), directory.getMessage());
        assertNothingInstalled(kube, "unpacked");

        // a refused upgrade leaves the deployed revision as it was; a verified one goes ahead
        cluster.clearRequests();
        ChartVerificationException upgrade = assertThrows(ChartVerificationException.class,
                () -> helm.upgrade("signed").chart(ChartRef.archive(swapped)).verify(keys.pubring).run());
        assertEquals(Reason.DIGEST_MISMATCH, upgrade.reason());
        assertNoWrites(cluster);
        Release still = helm.status("signed").run();
        assertEquals(1, still.revision());
        assertEquals(ReleaseStatus.DEPLOYED, still.status());
        assertEquals(SourceCharts.VERSION, still.chartVersion());
        assertEquals(2, helm.upgrade("signed").chart(good).verify(keys.pubring).set("message", "verified").run().revision());
        assertEquals(SourceCharts.VERSION, helm.upgrade("signed").chart(good).verify(keys.pubring).dryRun().chartVersion(),
                "a verified dry run goes ahead");
    }

    @Test
    void verifiedInstallsFromTheRegistryAndTheRepositoryTakeTheirProvenanceFromThere(KubernetesClient kube, KubernetesControlPlane cluster)
            throws Exception {
        try (OciRegistryServer registry = OciRegistryServer.startPlainOrSkip();
             NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            ChartSources sources = ChartSources.builder().plainHttp(registry.host()).plainHttp("127.0.0.1:" + repo.port()).build();
            String target = registry.ociUri("charts").toString();
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).build()) {
                charts.push(signed.archive(), target);
                charts.push(SourceCharts.packageVersion(tmp.resolve("unsigned-0.4.0"), "0.4.0"), target);
            }
            Path www = repo.dir().resolve("www");
            Path served = Files.copy(signed.archive(), www.resolve(SourceCharts.ARCHIVE), StandardCopyOption.REPLACE_EXISTING);
            Path servedProv = Files.copy(signed.provenance().orElseThrow(), www.resolve(SourceCharts.ARCHIVE + ".prov"),
                    StandardCopyOption.REPLACE_EXISTING);
            SourceCharts.writeIndex(served);
            ChartRef oci = ChartRef.oci(target + "/" + SourceCharts.NAME, SourceCharts.VERSION);
            ChartRef repository = ChartRef.repository(repo.uri().toString(), SourceCharts.NAME, SourceCharts.VERSION);

            try (HelmManager helm = HelmSdk.builder().kubernetesClient(kube).chartSources(sources).build()) {
                // first from the repository: the registry's layer is the same archive, which the cache would then hold
                assertEquals(ReleaseStatus.DEPLOYED, helm.install("from-repo").chart(repository).verify(keys.armoredPubring).run().status());
                assertEquals(1, archiveDownloads(repo), "the archive verified is the one installed: downloaded once");
                assertEquals(ReleaseStatus.DEPLOYED, helm.install("from-oci").chart(oci).verify(keys.pubring).run().status());

                refused(cluster, kube, "oci-unsigned", Reason.NO_PROVENANCE, Operation.INSTALL,
                        () -> helm.install("oci-unsigned").chart(ChartRef.oci(target + "/" + SourceCharts.NAME, "0.4.0")).verify(keys.pubring).run());
                refused(cluster, kube, "oci-stranger", Reason.UNKNOWN_KEY, Operation.INSTALL,
                        () -> helm.install("oci-stranger").chart(oci).verify(stranger.pubring).run());
                refused(cluster, kube, "repo-stranger", Reason.UNKNOWN_KEY, Operation.UPGRADE,
                        () -> helm.upgrade("repo-stranger").installIfAbsent().chart(repository).verify(stranger.pubring).run());

                Files.writeString(servedProv, Files.readString(servedProv).replace("name: " + SourceCharts.NAME, "name: other"));
                refused(cluster, kube, "repo-edited", Reason.BAD_SIGNATURE, Operation.INSTALL,
                        () -> helm.install("repo-edited").chart(repository).verify(keys.pubring).run());
                Files.delete(servedProv);
                refused(cluster, kube, "repo-none", Reason.NO_PROVENANCE, Operation.INSTALL,
                        () -> helm.install("repo-none").chart(repository).verify(keys.pubring).run());
                // without verify the same chart installs: the refusals were the verification's
                assertEquals(ReleaseStatus.DEPLOYED, helm.install("repo-none").chart(repository).run().status());
            }
        }
    }

    @Test
    void helmInIsolatedProcessesVerifiesTheSame(KubernetesClient kube, KubernetesControlPlane cluster) {
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(kube).helmProcess(HelmSdk.HelmProcess.ISOLATED).build()) {
            assertEquals(ReleaseStatus.DEPLOYED, helm.install("isolated").chart(ChartRef.archive(signed.archive())).verify(keys.pubring).run().status());
            refused(cluster, kube, "isolated-swapped", Reason.DIGEST_MISMATCH, Operation.INSTALL,
                    () -> helm.install("isolated-swapped").chart(ChartRef.archive(swapped)).verify(keys.pubring).run());
        }
    }

    /** {@code call} fails verification for {@code reason}, and nothing of release {@code name} reached the cluster. */
    private static void refused(KubernetesControlPlane cluster, KubernetesClient kube, String name, Reason reason, Operation op, Executable call) {
        cluster.clearRequests();
        ChartVerificationException e = assertThrows(ChartVerificationException.class, call, name);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(op, e.operation());
        assertFalse(e.retryable());
        assertNoWrites(cluster);
        assertNothingInstalled(kube, name);
    }

    /** No write but the release of an earlier change's lock (in the background): any write of this call would be a POST. */
    private static void assertNoWrites(KubernetesControlPlane cluster) {
        List<RecordedRequest> writes = cluster.requests().stream().filter(r -> !r.method().equals("GET"))
                .filter(r -> !(r.method().equals("DELETE") && r.path().contains("/leases/"))).toList();
        assertEquals(List.of(), writes, "no write reached the API server (no lock, no record, no object)");
    }

    private static void assertNothingInstalled(KubernetesClient kube, String release) {
        assertTrue(kube.secrets().inNamespace("default").withLabel("name", release).list().getItems().isEmpty(), "no release record");
        assertNull(kube.apps().deployments().inNamespace("default").withName(release).get(), "no Deployment");
    }

    /** GETs of the chart archive in nginx's access log. */
    private static int archiveDownloads(NginxChartRepository repo) throws Exception {
        return (int) Files.readAllLines(repo.accessLog()).stream().filter(l -> l.contains("GET /" + SourceCharts.ARCHIVE + " ")).count();
    }
}
