package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.ChartVerificationException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.fake.FakeHelmManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify(keyring)} on the {@link FakeHelmManager}: the real verification of the {@code .prov} beside a local
 * archive (and beside the archive registered for a registry chart), with the real manager's refusals; nothing is
 * installed when it fails, and the call is recorded as failed.
 */
@Tag("integration")
class VerifiedFakeInstallTest {

    @Test
    void theFakeVerifiesLocalAndRegisteredArchivesForReal(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             GpgKeys stranger = GpgKeys.generate(tmp.resolve("stranger"), "someone else");
             ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            ChartLifecycle.Packaged signed = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("signed"),
                    new ChartLifecycle.Signing(keys.userId, keys.secring, null));
            Path unsigned = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("unsigned")).archive();
            Path swapped = Files.copy(SourceCharts.packageVersion(tmp.resolve("other"), "0.3.1"),
                    Files.createDirectories(tmp.resolve("swapped")).resolve(SourceCharts.ARCHIVE));
            Files.copy(signed.provenance().orElseThrow(), swapped.resolveSibling(SourceCharts.ARCHIVE + ".prov"));
            ChartRef oci = ChartRef.oci("oci://registry.example/charts/" + SourceCharts.NAME, SourceCharts.VERSION);
            ChartRef ociSwapped = ChartRef.oci("oci://registry.example/charts/" + SourceCharts.NAME, "0.3.1");
            FakeHelmManager helm = FakeHelmManager.builder().chart(oci, signed.archive()).chart(ociSwapped, swapped).build();
            ChartRef good = ChartRef.archive(signed.archive());

            assertEquals(ReleaseStatus.DEPLOYED, helm.install("good").chart(good).verify(keys.pubring).run().status());
            assertEquals(ReleaseStatus.DEPLOYED, helm.install("registered").chart(oci).verify(keys.armoredPubring).run().status());

            assertRefused(helm, Reason.DIGEST_MISMATCH, "swapped", () -> helm.install("swapped").chart(ChartRef.archive(swapped)).verify(keys.pubring).run());
            assertRefused(helm, Reason.DIGEST_MISMATCH, "registered-swapped", () -> helm.install("registered-swapped").chart(ociSwapped).verify(keys.pubring).run());
            assertRefused(helm, Reason.UNKNOWN_KEY, "stranger", () -> helm.install("stranger").chart(good).verify(stranger.pubring).run());
            assertRefused(helm, Reason.NO_PROVENANCE, "unsigned", () -> helm.install("unsigned").chart(ChartRef.archive(unsigned)).verify(keys.pubring).run());
            assertRefused(helm, Reason.DIGEST_MISMATCH, "dry", () -> helm.install("dry").chart(ChartRef.archive(swapped)).verify(keys.pubring).dryRun());
            assertRefused(helm, Reason.UNKNOWN_KEY, "good", () -> helm.upgrade("good").chart(good).verify(stranger.pubring).run());
            assertEquals(1, helm.status("good").run().revision(), "the refused upgrade left the release as it was");

            InvalidRequestException directory = assertThrows(InvalidRequestException.class,
                    () -> helm.install("unpacked").chart(ChartRef.directory(SourceCharts.chartDir())).verify(keys.pubring).run());
            assertTrue(directory.getMessage().contains("unpacked charts cannot be verified"), directory.getMessage());
            assertTrue(helm.exists("unpacked").run().isEmpty());
            helm.assertThat().ran(Operation.INSTALL, "unpacked").failedWith(InvalidRequestException.class);
        }
    }

    private static void assertRefused(FakeHelmManager helm, Reason reason, String release, org.junit.jupiter.api.function.Executable call) {
        ChartVerificationException e = assertThrows(ChartVerificationException.class, call, release);
        assertEquals(reason, e.reason(), e.getMessage());
        if (e.operation() == Operation.INSTALL) {
            assertTrue(helm.exists(release).run().isEmpty(), release + " was not installed");
            helm.assertThat().ran(Operation.INSTALL, release).failedWith(ChartVerificationException.class);
        }
    }
}
