package dev.helmsdk.core.internal.provenance;

import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clear-signed message and Helm's message block, taken apart as Go's clearsign.Decode and Helm's parseMessageBlock do. */
class ProvenanceFileTest {

    private static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCgAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n";

    private static byte[] prov(String text) {
        return ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + text + SIGNATURE).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSignedBytesAreTheTrimmedLinesJoinedWithCrlfWithoutTheLastLineEnd() throws Exception {
        ProvenanceFile p = ProvenanceFile.parse(prov("apiVersion: v2 \t\nname: web\r\n- -dash escaped\n...\nfiles:\n  web-1.0.0.tgz: sha256:ab\n"));
        assertEquals(List.of("SHA512"), p.hashHeaders());
        assertArrayEquals("apiVersion: v2\r\nname: web\r\n-dash escaped\r\n...\r\nfiles:\r\n  web-1.0.0.tgz: sha256:ab".getBytes(StandardCharsets.UTF_8),
                p.signedBytes());
        assertEquals("apiVersion: v2\nname: web\n-dash escaped\n...\nfiles:\n  web-1.0.0.tgz: sha256:ab\n", p.plaintext());
        assertTrue(p.armoredSignature().startsWith("-----BEGIN PGP SIGNATURE-----\n") && p.armoredSignature().endsWith("-----END PGP SIGNATURE-----\n"));
    }

    @Test
    void theMessageBlockGivesChartYamlAndTheFilesChecksums() throws Exception {
        ProvenanceFile.MessageBlock b = ProvenanceFile.parse(prov("apiVersion: v2\nname: web\nversion: 1.0.0\n\n...\nfiles:\n  web-1.0.0.tgz: sha256:ab12\n"))
                .messageBlock();
        assertEquals(Map.of("web-1.0.0.tgz", "sha256:ab12"), b.files());
        assertEquals("web", ProvenanceFile.chartField(b.chartYaml(), "name").orElseThrow());
        assertEquals("1.0.0", ProvenanceFile.chartField(b.chartYaml(), "version").orElseThrow());
    }

    @Test
    void textBeforeTheMessageIsIgnoredAsByGo() throws Exception {
        byte[] withPreamble = ("junk\n" + new String(prov("a: 1\n...\nfiles: {}\n"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(ProvenanceFile.parse(prov("a: 1\n...\nfiles: {}\n")).signedBytes(), ProvenanceFile.parse(withPreamble).signedBytes());
    }

    @Test
    void malformedFilesSayWhatIsMissing() throws Exception {
        assertTrue(assertThrows(ProvenanceFile.Malformed.class, () -> ProvenanceFile.parse("name: web\n".getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("BEGIN PGP SIGNED MESSAGE"));
        assertTrue(assertThrows(ProvenanceFile.Malformed.class, () -> ProvenanceFile.parse(
                "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: web\n".getBytes(StandardCharsets.UTF_8))).getMessage().contains("BEGIN PGP SIGNATURE"));
        assertTrue(assertThrows(ProvenanceFile.Malformed.class, () -> ProvenanceFile.parse(
                "-----BEGIN PGP SIGNED MESSAGE-----\nnot a header\n\nx\n".getBytes(StandardCharsets.UTF_8))).getMessage().contains("not a header"));
        assertTrue(assertThrows(ProvenanceFile.Malformed.class, () -> ProvenanceFile.parse(prov("name: web\nfiles:\n  a: b\n")).messageBlock())
                .getMessage().contains("two parts"));
        assertTrue(assertThrows(ProvenanceFile.Malformed.class, () -> ProvenanceFile.parse(prov("name: web\n...\n- a list\n")).messageBlock())
                .getMessage().contains("files:"));
    }

    @Test
    void keyringsThatAreNotOpenPgpAreRefusedWithTheExportToRun(@TempDir Path tmp) throws Exception {
        byte[] keybox = new byte[32];
        System.arraycopy("KBXf".getBytes(StandardCharsets.US_ASCII), 0, keybox, 8, 4);
        ChartVerificationException kbx = assertThrows(ChartVerificationException.class,
                () -> ProvenanceVerifier.keyring(Operation.VERIFY, "web-1.0.0.tgz", Files.write(tmp.resolve("pubring.kbx"), keybox)));
        assertEquals(ChartVerificationException.Reason.BAD_KEYRING, kbx.reason());
        assertTrue(kbx.getMessage().contains("gpg --export > pubring.gpg"), kbx.getMessage());

        ChartVerificationException empty = assertThrows(ChartVerificationException.class,
                () -> ProvenanceVerifier.keyring(Operation.VERIFY, "web-1.0.0.tgz", Files.writeString(tmp.resolve("empty.asc"), "")));
        assertEquals(ChartVerificationException.Reason.BAD_KEYRING, empty.reason());
        assertTrue(empty.getMessage().contains("no public key"), empty.getMessage());

        ChartVerificationException missing = assertThrows(ChartVerificationException.class,
                () -> ProvenanceVerifier.keyring(Operation.VERIFY, "web-1.0.0.tgz", tmp.resolve("absent.gpg")));
        assertEquals("web-1.0.0.tgz", missing.chart());
    }
}
