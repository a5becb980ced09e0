package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.ChartVerificationException.Reason;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provenance verification as {@code helm verify} / {@code helm pull --verify}: charts signed by Helm ({@code helm package
 * --sign}, in process) with a key the real {@code gpg} made, verified in Java; every edit of the {@code .prov} judged
 * as {@code gpg --verify} judges it; a changed archive, an unknown key, a missing {@code .prov}; and pulls that verify
 * from the real docker-registry (the provenance layer) and from nginx ({@code <archive>.prov} beside the archive), with
 * nothing written when verification fails.
 */
@Tag("integration")
class ChartProvenanceTest {

    @Test
    void aHelmSignedChartVerifiesWithTheBinaryAndTheArmoredKeyring(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            ChartLifecycle.Packaged signed = sign(charts, keys, tmp.resolve("out"));
            for (Path keyring : List.of(keys.pubring, keys.armoredPubring, keys.secring)) {
                ChartLifecycle.Verified v = charts.verify(signed.archive(), keyring);
                assertEquals(keys.userId, v.signer(), keyring.toString());
                assertEquals(keys.fingerprint(), v.fingerprint(), "the fingerprint gpg prints");
                assertEquals(keys.fingerprint().substring(24), v.keyId(), "the primary key signed");
                assertEquals(SourceCharts.NAME, v.chartName());
                assertEquals(SourceCharts.VERSION, v.chartVersion());
                assertEquals(signed.digest(), v.digest());
            }
            // gpg's own store since 2.1 is a keybox, which Helm 3 cannot read either: refused with the export to run
            ChartVerificationException kbx = assertThrows(ChartVerificationException.class,
                    () -> charts.verify(signed.archive(), keys.home.resolve("pubring.kbx")));
            assertEquals(Reason.BAD_KEYRING, kbx.reason());
            assertTrue(kbx.getMessage().contains("gpg --export"), kbx.getMessage());
        }
    }

    @Test
    void editsOfTheProvenanceAreJudgedAsGpgJudgesThem(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            ChartLifecycle.Packaged signed = sign(charts, keys, tmp.resolve("out"));
            String original = Files.readString(signed.provenance().orElseThrow());
            Map<String, UnaryOperator<String>> edits = new LinkedHashMap<>();
            edits.put("unchanged", s -> s);
            edits.put("digest replaced", s -> s.replace(signed.digest(), "sha256:" + "0".repeat(64)));
            edits.put("version in Chart.yaml changed", s -> s.replace("version: " + SourceCharts.VERSION, "version: 9.9.9"));
            edits.put("trailing blanks added to the signed lines", s -> s.replace("\nname: ", " \t\nname: "));
            edits.put("CRLF line ends", s -> s.replace("\n", "\r\n"));
            edits.put("text before the message", s -> "this line is not signed\n" + s);
            edits.put("a line added to the signed text", s -> s.replace("\n...\n", "\nkeywords: [evil]\n...\n"));
            edits.put("one signature character changed", s -> {
                int at = s.indexOf("-----BEGIN PGP SIGNATURE-----");
                int pos = s.indexOf('\n', s.indexOf("\n\n", at) + 2) - 10;   // inside the first line of base64
                return s.substring(0, pos) + (s.charAt(pos) == 'A' ? 'B' : 'A') + s.substring(pos + 1);
            });
            int accepted = 0;
            int rejected = 0;
            for (Map.Entry<String, UnaryOperator<String>> edit : edits.entrySet()) {
                Path dir = Files.createDirectories(tmp.resolve("edit-" + accepted + "-" + rejected));
                Path archive = Files.copy(signed.archive(), dir.resolve(SourceCharts.ARCHIVE));
                Path prov = Files.writeString(dir.resolve(SourceCharts.ARCHIVE + ".prov"), edit.getValue().apply(original));
                boolean gpgSays = keys.gpgVerifies(prov);
                boolean weSay;
                try {
                    charts.verify(archive, keys.pubring);
                    weSay = true;
                } catch (ChartVerificationException e) {
                    weSay = false;
                    assertEquals(Operation.VERIFY, e.operation());
                    assertEquals(archive.toString(), e.chart());
                    assertFalse(e.retryable());
                }
                assertEquals(gpgSays, weSay, edit.getKey() + ": gpg --verify " + (gpgSays ? "accepts" : "rejects") + " it");
                if (gpgSays) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
            assertTrue(accepted >= 2 && rejected >= 3, "both verdicts were exercised: " + accepted + " accepted, " + rejected + " rejected");
        }
    }

    @Test
    void aChangedArchiveAnUnknownKeyAndAMissingProvenanceAreRefused(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             GpgKeys stranger = GpgKeys.generate(tmp.resolve("stranger"), "someone else");
             ChartLifecycle charts = HelmSdk.chartLifecycle().build()) {
            ChartLifecycle.Packaged signed = sign(charts, keys, tmp.resolve("out"));

            // another archive under the signed name: the .prov still passes gpg, the digest does not
            Path other = SourceCharts.packageVersion(tmp.resolve("other"), "0.3.1");
            Path swapped = Files.createDirectories(tmp.resolve("swapped"));
            Files.copy(other, swapped.resolve(SourceCharts.ARCHIVE));
            Path prov = Files.copy(signed.provenance().orElseThrow(), swapped.resolve(SourceCharts.ARCHIVE + ".prov"));
            assertTrue(keys.gpgVerifies(prov), "the signature alone is intact");
            ChartVerificationException digest = assertThrows(ChartVerificationException.class,
                    () -> charts.verify(swapped.resolve(SourceCharts.ARCHIVE), keys.pubring));
            assertEquals(Reason.DIGEST_MISMATCH, digest.reason());
            assertTrue(digest.getMessage().contains(signed.digest()), digest.getMessage());

            // the same .prov for an archive of another name: Helm looks the file name up in files:
            Path renamed = Files.copy(signed.archive(), swapped.resolve("renamed.tgz"));
            Files.copy(prov, swapped.resolve("renamed.tgz.prov"));
            ChartVerificationException name = assertThrows(ChartVerificationException.class, () -> charts.verify(renamed, keys.pubring));
            assertEquals(Reason.DIGEST_MISMATCH, name.reason());
            assertTrue(name.getMessage().contains("\"renamed.tgz\""), name.getMessage());

            ChartVerificationException unknown = assertThrows(ChartVerificationException.class,
                    () -> charts.verify(signed.archive(), stranger.pubring));
            assertEquals(Reason.UNKNOWN_KEY, unknown.reason());
            assertTrue(unknown.getMessage().contains(keys.fingerprint().substring(24)), unknown.getMessage());
            assertFalse(stranger.gpgVerifies(signed.provenance().orElseThrow()), "gpg does not know the key either");

            Path unsigned = charts.packageChart(SourceCharts.chartDir(), tmp.resolve("unsigned")).archive();
            ChartVerificationException none = assertThrows(ChartVerificationException.class, () -> charts.verify(unsigned, keys.pubring));
            assertEquals(Reason.NO_PROVENANCE, none.reason());
        }
    }

    @Test
    void aVerifyingPullFromTheRegistryChecksTheProvenanceLayer(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             GpgKeys stranger = GpgKeys.generate(tmp.resolve("stranger"), "someone else");
             OciRegistryServer registry = OciRegistryServer.startPlainOrSkip()) {
            ChartSources sources = ChartSources.builder().plainHttp(registry.host()).build();
            String target = registry.ociUri("charts").toString();
            ChartLifecycle.Packaged signed;
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).build()) {
                signed = sign(charts, keys, tmp.resolve("out"));
                charts.push(signed.archive(), target);
                charts.push(SourceCharts.packageVersion(tmp.resolve("unsigned"), "0.4.0"), target);
            }
            ChartRef ref = ChartRef.oci(target + "/" + SourceCharts.NAME, SourceCharts.VERSION);
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).verifyWith(keys.pubring).build()) {
                ChartLifecycle.Pulled pulled = charts.pull(ref, tmp.resolve("pulled"));
                ChartLifecycle.Verified v = pulled.verification().orElseThrow();
                assertEquals(keys.fingerprint(), v.fingerprint());
                assertEquals(signed.digest(), v.digest());
                assertEquals(List.of(SourceCharts.ARCHIVE, SourceCharts.ARCHIVE + ".prov"), names(tmp.resolve("pulled")), "the .prov beside it, as helm pull --verify");
                assertArrayEquals(Files.readAllBytes(signed.provenance().orElseThrow()), Files.readAllBytes(tmp.resolve("pulled").resolve(SourceCharts.ARCHIVE + ".prov")));
                assertTrue(keys.gpgVerifies(tmp.resolve("pulled").resolve(SourceCharts.ARCHIVE + ".prov")));
                assertTrue(charts.pullUntarred(ref, tmp.resolve("untarred")).verification().isPresent());

                ChartVerificationException none = assertThrows(ChartVerificationException.class,
                        () -> charts.pull(ChartRef.oci(target + "/" + SourceCharts.NAME, "0.4.0"), tmp.resolve("none")));
                assertEquals(Reason.NO_PROVENANCE, none.reason());
                assertEquals(Operation.PULL, none.operation());
                assertEquals(List.of(), names(tmp.resolve("none")));
            }
            try (ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(sources).verifyWith(stranger.armoredPubring).build()) {
                ChartVerificationException unknown = assertThrows(ChartVerificationException.class, () -> charts.pull(ref, tmp.resolve("refused")));
                assertEquals(Reason.UNKNOWN_KEY, unknown.reason());
                assertTrue(unknown.getMessage().contains(ref.describe()), unknown.getMessage());
                assertEquals(List.of(), names(tmp.resolve("refused")), "nothing written");
            }
        }
    }

    @Test
    void aVerifyingPullFromAnHttpRepositoryReadsTheProvBesideTheArchive(@TempDir Path tmp) throws Exception {
        try (GpgKeys keys = GpgKeys.generate(tmp.resolve("keys"), "helm-sdk signer");
             NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false);
             ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(ChartSources.builder().plainHttp("127.0.0.1:" + repo.port()).build())
                     .verifyWith(keys.pubring).build()) {
            Path www = repo.dir().resolve("www");
            ChartLifecycle.Packaged signed = sign(charts, keys, www);
            SourceCharts.writeIndex(signed.archive());
            ChartRef ref = ChartRef.repository(repo.uri().toString(), SourceCharts.NAME, SourceCharts.VERSION);

            ChartLifecycle.Pulled pulled = charts.pull(ref, tmp.resolve("pulled"));
            assertEquals(keys.userId, pulled.verification().orElseThrow().signer());
            assertEquals(List.of(SourceCharts.ARCHIVE, SourceCharts.ARCHIVE + ".prov"), names(tmp.resolve("pulled")));

            Path prov = signed.provenance().orElseThrow();
            Files.writeString(prov, Files.readString(prov).replace("name: " + SourceCharts.NAME, "name: other"));
            ChartVerificationException bad = assertThrows(ChartVerificationException.class, () -> charts.pull(ref, tmp.resolve("bad")));
            assertEquals(Reason.BAD_SIGNATURE, bad.reason());
            assertFalse(keys.gpgVerifies(prov), "gpg rejects the served file too");
            assertEquals(List.of(), names(tmp.resolve("bad")));

            Files.delete(prov);
            ChartVerificationException none = assertThrows(ChartVerificationException.class, () -> charts.pull(ref, tmp.resolve("none")));
            assertEquals(Reason.NO_PROVENANCE, none.reason());
            assertTrue(none.getMessage().contains(SourceCharts.ARCHIVE + ".prov"), none.getMessage());
            assertEquals(List.of(), names(tmp.resolve("none")));
        }
    }

    private static ChartLifecycle.Packaged sign(ChartLifecycle charts, GpgKeys keys, Path out) {
        ChartLifecycle.Packaged signed = charts.packageChart(SourceCharts.chartDir(), out, new ChartLifecycle.Signing(keys.userId, keys.secring, null));
        assertTrue(signed.provenance().isPresent());
        return signed;
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
