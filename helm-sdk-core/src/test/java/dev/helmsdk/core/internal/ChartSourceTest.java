package dev.helmsdk.core.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code verify(keyring)} asks of a local chart before anything else (the signatures themselves are checked against
 * gpg-made keys in the testkit's ChartProvenanceTest and VerifiedInstallTest): a directory refused as Helm refuses
 * unpacked charts, an archive without its {@code .prov} or with a broken one refused, nothing asked without a keyring.
 */
class ChartSourceTest {

    /** Local charts need neither the remote charts nor the cluster. */
    private final ChartSource charts = new ChartSource(null, null);

    @Test
    void aDirectoryCannotBeVerified(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("web"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> charts.resolve(Operation.INSTALL, "web", ChartRef.directory(dir), tmp.resolve("pubring.gpg")));
        assertTrue(e.getMessage().contains("unpacked charts cannot be verified"), e.getMessage());
        assertEquals(Operation.INSTALL, e.operation());
        assertEquals(dir.toAbsolutePath().normalize().toString(), charts.resolve(Operation.INSTALL, "web", ChartRef.directory(dir), null).reference());
    }

    @Test
    void anArchiveWithoutItsProvenanceOrWithABrokenOneIsRefused(@TempDir Path tmp) throws IOException {
        Path archive = MinimalChartArchive.web(tmp);
        Path keyring = Files.writeString(tmp.resolve("pubring.asc"), "not used before the .prov is found");
        ChartVerificationException none = assertThrows(ChartVerificationException.class,
                () -> charts.resolve(Operation.UPGRADE, "web", ChartRef.archive(archive), keyring));
        assertEquals(ChartVerificationException.Reason.NO_PROVENANCE, none.reason());
        assertEquals(Operation.UPGRADE, none.operation());
        assertEquals(archive.toString(), none.chart());
        assertTrue(none.getMessage().contains("web-1.0.0.tgz.prov"), none.getMessage());

        // without a keyring the same archive is resolved as ever
        assertEquals(archive.toAbsolutePath().normalize().toString(), charts.resolve(Operation.UPGRADE, "web", ChartRef.archive(archive), null).reference());

        Files.writeString(tmp.resolve("web-1.0.0.tgz.prov"), "name: web\n");
        ChartVerificationException keyringFirst = assertThrows(ChartVerificationException.class,
                () -> charts.resolve(Operation.DRY_RUN, "web", ChartRef.archive(archive), keyring));
        assertEquals(ChartVerificationException.Reason.BAD_KEYRING, keyringFirst.reason(), keyringFirst.getMessage());
        assertEquals(Operation.DRY_RUN, keyringFirst.operation());
    }
}
