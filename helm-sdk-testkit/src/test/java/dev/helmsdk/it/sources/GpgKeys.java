package dev.helmsdk.it.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A throwaway GnuPG home (never the user's) with one signing key made by the real {@code gpg}: its secret keyring in the
 * legacy format Helm signs with, its public keyring (binary and armored) that Helm verifies with, and {@code gpg --verify}
 * as the reference verdict. Skips without gpg (fails when CI=true, through {@link ServerProcess#requireBinary}).
 */
final class GpgKeys implements AutoCloseable {

    final Path home;
    final Path gpg;
    final String userId;
    final Path secring;
    final Path pubring;
    final Path armoredPubring;

    private GpgKeys(Path dir, String name) throws Exception {
        gpg = ServerProcess.requireBinary("gnupg", "gpg");
        home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        userId = name + " <" + name.replace(' ', '-') + "@helmsdk.dev>";
        run("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", userId, "rsa2048", "sign", "never");
        secring = Files.write(dir.resolve("secring.gpg"), run("--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--export-secret-keys", userId));
        pubring = Files.write(dir.resolve("pubring.gpg"), run("--batch", "--export", userId));
        armoredPubring = Files.write(dir.resolve("pubring.asc"), run("--batch", "--export", "--armor", userId));
    }

    /** A new key {@code name} in a fresh home under {@code dir}. */
    static GpgKeys generate(Path dir, String name) throws Exception {
        return new GpgKeys(Files.createDirectories(dir), name);
    }

    /** The key's fingerprint as gpg prints it (40 hex digits, upper case). */
    String fingerprint() throws Exception {
        for (String line : new String(run("--batch", "--with-colons", "--fingerprint", userId)).split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9];
            }
        }
        throw new IllegalStateException("gpg printed no fingerprint");
    }

    /** The reference verdict: whether {@code gpg --verify} accepts the clear-signed file with this home's keys. */
    boolean gpgVerifies(Path clearSigned) throws Exception {
        try {
            run("--batch", "--verify", clearSigned.toString());
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Runs gpg with this home; its stdout, or an IllegalStateException with its stderr. */
    byte[] run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = gpg.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("GNUPGHOME", home.toString());
        Path err = Files.createTempFile(home, "stderr", ".log");
        Process p = pb.redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(err));
        }
        return out;
    }

    /** Stops this home's gpg-agent. */
    @Override
    public void close() throws Exception {
        ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                .redirectOutput(home.resolveSibling("gpgconf.log").toFile());
        kill.environment().put("GNUPGHOME", home.toString());
        try {
            kill.start().waitFor();
        } catch (IOException ignored) {
            // no gpgconf: the agent exits with its socket directory
        }
    }
}
