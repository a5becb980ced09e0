package dev.helmsdk.core.internal.provenance;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.ChartVerificationException.Reason;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.internal.source.RemoteCharts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Which {@code .prov} belongs to which chart, and under which file name Helm looks the archive up in it: the one place
 * {@code helm verify}, {@code helm pull --verify} and {@code helm install|upgrade --verify} decide it, as Helm's
 * {@code downloader.VerifyChart} and {@code ChartDownloader} do. Every method checks first that the optional OpenPGP
 * library is there, so callers need not.
 */
public final class ChartProvenance {

    private ChartProvenance() {
    }

    /**
     * Refuses an unpacked chart before anything is read, as Helm's {@code VerifyChart} does ("unpacked charts cannot be
     * verified"): only an archive has a sha256 a {@code .prov} can sign.
     *
     * @param release the release, or {@code null} outside a release operation
     * @return the refusal, to throw
     */
    public static InvalidRequestException directoryRefused(Operation op, String release, Path directory) {
        return new InvalidRequestException(op, release, "chart directory " + directory + " cannot be verified: unpacked charts"
                + " cannot be verified (as helm --verify says); package it signed (ChartLifecycle.packageChart with a Signing)"
                + " and give the archive, with its .prov beside it");
    }

    /**
     * Verifies a local archive against {@code <archive>.prov} beside it; the archive's own file name is the key in the
     * signed {@code files:} block.
     *
     * @throws ChartVerificationException naming the archive and what failed
     */
    public static ProvenanceVerifier.Result verifyLocal(Operation op, Path archive, Path keyring) {
        OpenPgpLibrary.require(op);
        Path prov = archive.resolveSibling(archive.getFileName() + ".prov");
        if (!Files.isRegularFile(prov)) {
            throw new ChartVerificationException(op, archive.toString(), Reason.NO_PROVENANCE,
                    "chart " + archive + " has no provenance file " + prov.getFileName() + " beside it", null);
        }
        try {
            return ProvenanceVerifier.verify(op, archive.toString(), Files.readAllBytes(archive), archive.getFileName().toString(),
                    Files.readAllBytes(prov), ProvenanceVerifier.keyring(op, archive.toString(), keyring));
        } catch (IOException e) {
            throw new InvalidRequestException(op, null, "chart " + archive + " or its " + prov.getFileName() + " cannot be read ("
                    + e.getMessage() + "); make both readable", e);
        }
    }

    /**
     * Verifies a chart {@code remote} has fetched from {@code chart} (no second download: the archive is the one fetched)
     * against its {@code .prov}: {@code <archive URL>.prov} in a repository, the manifest's provenance layer in a
     * registry, fetched with the same credentials.
     *
     * @throws ChartVerificationException naming {@code chart} as the caller gave it and what failed
     */
    public static ProvenanceVerifier.Result verifyFetched(Operation op, ChartRef chart, RemoteCharts.Fetched fetched, RemoteCharts remote,
                                                          Supplier<CredentialContext> ctx, Path keyring) {
        OpenPgpLibrary.require(op);
        ProvenanceVerifier.Keyring ring = ProvenanceVerifier.keyring(op, chart.describe(), keyring);
        byte[] prov = remote.provenance(op, chart, fetched, ctx).orElseThrow(() -> new ChartVerificationException(op, chart.describe(),
                Reason.NO_PROVENANCE, "chart " + chart.describe() + " has no provenance to verify (" + (chart instanceof ChartRef.Oci
                        ? "no provenance layer in its manifest" : "no " + fetched.provenance().uri()) + ")", null));
        // Helm looks the archive up in files: under the name it saves it as: the URL's last segment for repositories.
        String fileName = chart instanceof ChartRef.Oci ? fetched.name() + "-" + fetched.version() + ".tgz"
                : fetched.source().substring(fetched.source().lastIndexOf('/') + 1);
        try {
            return ProvenanceVerifier.verify(op, chart.describe(), Files.readAllBytes(fetched.archive()), fileName, prov, ring);
        } catch (IOException e) {
            // The archive was fetched into the work directory a moment ago: a disk error, not the user's.
            throw new HelmOperationException(op, null, "cannot read the archive fetched for " + chart.describe() + " from "
                    + fetched.archive() + " (" + e.getMessage() + "; a disk error?)", null, e);
        }
    }
}
