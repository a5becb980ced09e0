package dev.helmsdk.examples.cli;

import dev.helmsdk.examples.HelloChart;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart lifecycle through the runnable jar in a child JVM: package (signed), verify, push to a real registry,
 * pull (verified, untarred), credentials from the providers' environment variables, and dependency update and build.
 */
@Tag("integration")
class HelmSdkCliChartsJarTest {

    @Test
    void packageSignedVerifyPushAndPullBackVerified(@TempDir Path tmp) throws Exception {
        CliJar.assumeBuilt();
        ChartServers.GpgKey key = ChartServers.GpgKey.generate(tmp.resolve("keys"), "Release Bot");
        Path chart = HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        Path archive = tmp.resolve("dist").resolve("hello-1.0.0.tgz").toAbsolutePath();

        CliOutput packaged = CliJar.run(tmp, "package", chart.toString(), "-d", tmp.resolve("dist").toString(),
                "--sign", "--key", "Release Bot", "--keyring", key.secring().toString());
        assertEquals(0, packaged.exitCode(), packaged.toString());
        assertEquals("Successfully packaged chart and saved it to: " + archive + "\n", packaged.out());
        assertTrue(Files.isRegularFile(archive.resolveSibling("hello-1.0.0.tgz.prov")), "signed: the .prov beside it");

        CliOutput verified = CliJar.run(tmp, "verify", archive.toString(), "--keyring", key.pubring().toString());
        assertEquals(0, verified.exitCode(), verified.toString());
        String helmsLines = "Signed by: " + key.userId() + "\nUsing Key With Fingerprint: " + key.fingerprint() + "\nChart Hash Verified: sha256:";
        assertTrue(verified.out().startsWith(helmsLines), verified.out());

        try (ChartServers.Registry registry = ChartServers.Registry.start(tmp)) {
            String remote = "oci://" + registry.host() + "/charts";
            CliOutput pushed = CliJar.run(tmp, "push", archive.toString(), remote, "--plain-http");
            assertEquals(0, pushed.exitCode(), pushed.toString());
            assertTrue(pushed.out().matches("Pushed: " + registry.host() + "/charts/hello:1\\.0\\.0\nDigest: sha256:[0-9a-f]{64}\n"), pushed.out());

            CliOutput refused = CliJar.run(tmp, "push", archive.toString(), remote);
            assertEquals(ExitCodes.ERROR, refused.exitCode(), "plain HTTP only when asked: " + refused);
            assertEquals(1, refused.err().strip().lines().count(), refused.toString());

            CliOutput pulled = CliJar.run(tmp, "pull", remote + "/hello", "--version", "^1", "--plain-http", "-d", tmp.resolve("pulled").toString(),
                    "--verify", "--keyring", key.pubring().toString());
            assertEquals(0, pulled.exitCode(), pulled.toString());
            Path copy = tmp.resolve("pulled").resolve("hello-1.0.0.tgz").toAbsolutePath();
            assertTrue(pulled.out().startsWith(helmsLines) && pulled.out().contains("Pulled: hello 1.0.0 to " + copy + "\n"), pulled.out());
            assertArrayEquals(Files.readAllBytes(archive), Files.readAllBytes(copy), "the bytes pushed come back");
            assertTrue(Files.isRegularFile(copy.resolveSibling("hello-1.0.0.tgz.prov")));

            CliOutput untarred = CliJar.run(tmp, "pull", remote + "/hello", "--plain-http", "-d", tmp.resolve("work").toString(), "--untar");
            assertEquals(0, untarred.exitCode(), untarred.toString());
            assertTrue(Files.isRegularFile(tmp.resolve("work/hello/Chart.yaml")), untarred.toString());
        }
    }

    @Test
    void registryCredentialsComeFromTheProvidersAndNeverShow(@TempDir Path tmp) throws Exception {
        CliJar.assumeBuilt();
        Path chart = HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        try (FakeOciRegistry registry = FakeOciRegistry.builder().chart(chart, "1.2.0").basicAuth("robot", "Right-pw-1").start()) {
            String prefix = "HELM_SDK_REPO_" + registry.hostAndPort().replaceAll("[^0-9A-Za-z]", "_") + "_";
            String ref = registry.url() + "/hello";
            CliOutput right = CliJar.run(tmp, Map.of(prefix + "USERNAME", "robot", prefix + "PASSWORD", "Right-pw-1"),
                    "pull", ref, "--plain-http", "-d", tmp.resolve("pulled").toString());
            assertEquals(0, right.exitCode(), right.toString());
            assertTrue(Files.isRegularFile(tmp.resolve("pulled/hello-1.2.0.tgz")), right.toString());

            CliOutput wrong = CliJar.run(tmp, Map.of(prefix + "USERNAME", "robot", prefix + "PASSWORD", "Wrong-pw-2"),
                    "pull", ref, "--plain-http", "-d", tmp.resolve("none").toString());
            assertEquals(ExitCodes.ERROR, wrong.exitCode(), wrong.toString());
            assertTrue(wrong.err().startsWith("Error: ") && wrong.err().contains(registry.hostAndPort()), wrong.toString());
            assertFalse((wrong.out() + wrong.err()).contains("Wrong-pw-2"), "no password in any output: " + wrong);
            assertFalse(wrong.err().contains("\tat "), "no stack trace: " + wrong);
        }
    }

    @Test
    void dependencyUpdateLocksAndBuildAndPackageUseTheLock(@TempDir Path tmp) throws Exception {
        CliJar.assumeBuilt();
        Path hello = HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(hello, "1.1.0").chart(hello, "1.2.0").chart(hello, "2.0.0").start()) {
            Path shop = Files.createDirectories(tmp.resolve("shop"));
            Files.writeString(shop.resolve("Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n"
                    + "  - name: hello\n    version: \"^1\"\n    repository: " + repo.url() + "\n");

            CliOutput floating = CliJar.run(tmp, "dependency", "update", shop.toString(), "--plain-http", "--require-pinned");
            assertEquals(ExitCodes.ERROR, floating.exitCode(), floating.toString());
            assertTrue(floating.err().startsWith("Error: ") && floating.err().contains("hello"), floating.toString());
            assertFalse(Files.exists(shop.resolve("Chart.lock")), "nothing written");
            CliOutput buildFloating = CliJar.run(tmp, "dependency", "build", shop.toString(), "--plain-http", "--require-pinned");
            assertEquals(ExitCodes.ERROR, buildFloating.exitCode(), "no lock: a build updates, pinned too: " + buildFloating);

            CliOutput updated = CliJar.run(tmp, "dependency", "update", shop.toString(), "--plain-http");
            assertEquals(0, updated.exitCode(), updated.toString());
            assertEquals("Saving 1 charts\n  hello 1.2.0 from " + repo.url() + "\nChart.lock written\n", updated.out());
            assertTrue(Files.isRegularFile(shop.resolve("charts/hello-1.2.0.tgz")));

            Files.delete(shop.resolve("charts/hello-1.2.0.tgz"));
            CliOutput built = CliJar.run(tmp, "dep", "build", shop.toString(), "--plain-http");
            assertEquals(0, built.exitCode(), built.toString());
            assertEquals("Saving 1 charts\n  hello 1.2.0 from " + repo.url() + "\nChart.lock unchanged\n", built.out());

            CliOutput packaged = CliJar.run(tmp, "package", shop.toString(), "-d", tmp.resolve("dist").toString(), "--plain-http");
            assertEquals(0, packaged.exitCode(), packaged.toString());
            assertTrue(Files.isRegularFile(tmp.resolve("dist/shop-0.1.0.tgz")), packaged.toString());
        }
    }
}
