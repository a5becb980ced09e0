package dev.helmsdk.core.internal.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.PackageCommand;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.NativeHelm;
import dev.helmsdk.core.internal.source.ChartArchives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Packages a chart directory with Helm itself ({@code helm package}, in process), signed when asked
 * ({@code --sign}: a {@code .prov} file beside the archive), into a private staging directory; the caller moves
 * the results into place, so a failure leaves the destination as it was.
 */
public final class ChartPackager {

    /**
     * How to sign: the key's name (user id or part of it) in a secret keyring in the legacy
     * {@code secring.gpg} format ({@code gpg --export-secret-keys > secring.gpg}), and a file holding its
     * passphrase ({@code null} when the key has none).
     */
    public record Signing(String key, Path secretKeyring, Path passphraseFile) {
    }

    /** What was packaged. */
    public record Packaged(Path archive, Optional<Path> provenance) {
    }

    private ChartPackager() {
    }

    /** Packages {@code chartDir} into {@code staging} (a fresh, empty directory). */
    public static Packaged packageInto(Operation op, Path chartDir, Path staging, Signing signing) {
        if (signing != null) {
            if (!Files.isRegularFile(signing.secretKeyring())) {
                throw new InvalidRequestException(op, null, "signing keyring " + signing.secretKeyring() + " does not exist");
            }
            if (signing.passphraseFile() != null && !Files.isRegularFile(signing.passphraseFile())) {
                throw new InvalidRequestException(op, null, "passphrase file " + signing.passphraseFile() + " does not exist");
            }
        }
        NativeHelm.prepare();
        PackageCommand cmd = new Helm(chartDir.toAbsolutePath().normalize()).packageIt().withDestination(staging);
        if (signing != null) {
            cmd.sign().withKey(signing.key()).withKeyring(signing.secretKeyring());
            if (signing.passphraseFile() != null) {
                cmd.withPassphraseFile(signing.passphraseFile());
            }
        }
        try {
            cmd.call();
        } catch (IllegalStateException e) {
            // Helm's own words: a key not in the keyring, a wrong passphrase, a chart that does not load.
            String text = String.valueOf(e.getMessage());
            throw new HelmOperationException(op, null, "helm package " + chartDir + (signing != null ? " (signed with key '" + signing.key() + "')" : "")
                    + " failed: " + text, text, e);
        } finally {
            // Go's runtime takes the process's signal handlers on each call: give the JVM its own back (shutdown hooks)
            NativeHelm.restoreSignalHandlers();
        }
        Path archive;
        Path prov = null;
        try (var files = Files.list(staging)) {
            archive = null;
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".tgz")) {
                    archive = f;
                } else if (n.endsWith(".tgz.prov")) {
                    prov = f;
                }
            }
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot list what helm package wrote for " + chartDir, staging, e);
        }
        if (archive == null) {
            throw new HelmOperationException(op, null, "helm package " + chartDir + " wrote no archive", null, null);
        }
        if (signing != null && prov == null) {
            throw new HelmOperationException(op, null, "helm package --sign " + chartDir + " wrote no provenance file", null, null);
        }
        try {
            ChartArchives.check(archive);   // what we hand out passes the check every pull applies
        } catch (ChartArchives.Refused r) {
            throw new InvalidRequestException(op, null, "chart " + chartDir + " packages into an archive the SDK would refuse: " + r.getMessage(), r);
        } catch (IOException e) {
            throw FileErrors.of(op, "cannot read the archive helm package wrote for " + chartDir, staging, e);
        }
        return new Packaged(archive, Optional.ofNullable(prov));
    }

    /** Moves {@code file} into {@code directory} under its name, replacing a file there, atomically where possible. */
    public static Path moveInto(Path file, Path directory) throws IOException {
        Path target = directory.resolve(file.getFileName().toString());
        try {
            return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            return Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
