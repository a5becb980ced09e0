package dev.helmsdk.examples.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the chart commands' jar tests need beyond the testkit's fakes (which take no pushes): a real registry
 * ({@code docker-registry}, plain HTTP on loopback) and a throwaway GnuPG key. Skipped without the binaries, except
 * with {@code CI=true}, where they must be there.
 */
final class ChartServers {

    private ChartServers() {
    }

    static Path binary(String path, String aptPackage) {
        boolean there = Files.isExecutable(Path.of(path));
        if (!there && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(path + " is missing: apt-get install " + aptPackage);
        }
        assumeTrue(there, path + " is missing: apt-get install " + aptPackage);
        return Path.of(path);
    }

    /** A docker-registry on a free loopback port, storing under {@code dir}; close it to stop it. */
    record Registry(Process process, String host) implements AutoCloseable {

        static Registry start(Path dir) throws Exception {
            Path bin = binary("/usr/bin/docker-registry", "docker-registry");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path config = Files.writeString(dir.resolve("registry.yml"), "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
                    + "    rootdirectory: " + Files.createDirectories(dir.resolve("registry-data")) + "\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
            Process p = new ProcessBuilder(bin.toString(), "serve", config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile()).start();
            Registry registry = new Registry(p, "127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            Instant until = Instant.now().plusSeconds(30);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://" + registry.host + "/v2/")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return registry;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (!p.isAlive() || Instant.now().isAfter(until)) {
                    registry.close();
                    throw new AssertionError("docker-registry did not start: " + Files.readString(dir.resolve("registry.log")));
                }
                Thread.sleep(100);
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    /**
     * A signing key made by the real gpg in a fresh home under {@code dir}: its secret keyring in the legacy format Helm
     * signs with and its public keyring; {@code fingerprint} as gpg prints it.
     */
    record GpgKey(String userId, Path secring, Path pubring, String fingerprint) {

        static GpgKey generate(Path dir, String name) throws Exception {
            binary("/usr/bin/gpg", "gnupg");
            Path home = Files.createDirectories(dir.resolve("gnupg"));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            String userId = name + " <" + name.replace(' ', '-') + "@helmsdk.dev>";
            gpg(home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", userId, "rsa2048", "sign", "never");
            Path secring = Files.write(dir.resolve("secring.gpg"), gpg(home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                    "--export-secret-keys", userId));
            Path pubring = Files.write(dir.resolve("pubring.gpg"), gpg(home, "--batch", "--export", userId));
            String fingerprint = new String(gpg(home, "--batch", "--with-colons", "--fingerprint", userId)).lines()
                    .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
            ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gpgconf.log").toFile());
            kill.environment().put("GNUPGHOME", home.toString());
            kill.start().waitFor();
            return new GpgKey(userId, secring, pubring, fingerprint);
        }

        private static byte[] gpg(Path home, String... args) throws Exception {
            String[] command = new String[args.length + 1];
            command[0] = "/usr/bin/gpg";
            System.arraycopy(args, 0, command, 1, args.length);
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("GNUPGHOME", home.toString());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed");
            }
            return out;
        }
    }
}
