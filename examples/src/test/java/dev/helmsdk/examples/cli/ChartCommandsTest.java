package dev.helmsdk.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code package}, {@code push}, {@code pull}, {@code verify} and {@code dependency} without a registry: options, usage errors and bad input. */
class ChartCommandsTest {

    @Test
    void helpUsesHelmsFlagNamesAndNoClusterOptions() {
        Map<String, List<String>> flags = Map.of(
                "package", List.of("--destination", "-d", "--sign", "--key", "--keyring", "--passphrase-file", "--require-pinned", "--ca-file"),
                "push", List.of("ARCHIVE", "REMOTE", "--plain-http", "--ca-file", "--insecure-skip-tls-verify"),
                "pull", List.of("--repo", "--version", "--destination", "--untar", "--untardir", "--verify", "--keyring", "--plain-http"),
                "verify", List.of("ARCHIVE", "--keyring"),
                "dependency", List.of("update", "build"));
        flags.forEach((command, options) -> {
            String help = CliOutput.run(command, "--help").out();
            options.forEach(o -> assertTrue(help.contains(o), o + " in\n" + help));
            assertFalse(help.contains("--kubeconfig"), "no cluster for " + command + ":\n" + help);
        });
        assertTrue(CliOutput.run("dependency", "update", "--help").out().contains("--require-pinned"));
        assertTrue(CliOutput.run("dep", "build", "--help").out().startsWith("Usage: helm-sdk-cli dependency build"), "Helm's alias");
    }

    @Test
    void commandLinesThatCannotWorkExit64WithOneLineNamingTheProblem(@TempDir Path tmp) {
        String chart = tmp.toString();
        usage("REMOTE 'https://registry.example.com/charts' is not an OCI reference", "push", "a.tgz", "https://registry.example.com/charts");
        usage("--sign needs --key NAME", "package", chart, "--sign");
        usage("CHART 'shop' is not oci://host/path/chart nor https://repository#chart (a chart's name needs --repo URL)", "pull", "shop");
        usage("is not oci://host/path/chart nor https://repository#chart", "pull", "https://charts.example.com");
        usage("with --repo, CHART is a chart's name in it", "pull", "oci://r.example.com/c", "--repo", "https://charts.example.com");
        usage("give a subcommand: update or build", "dependency");
        usage("Missing required parameter: 'CHART_DIR'", "dependency", "update");
    }

    @Test
    void inputThatIsNotThereIsAnErrorNamingIt(@TempDir Path tmp) throws Exception {
        Path keyring = Files.writeString(tmp.resolve("pubring.gpg"), "");
        Path notAChart = Files.writeString(tmp.resolve("shop-1.0.0.tgz"), "not gzip");
        error("chart directory " + tmp.resolve("none") + " does not exist", "package", tmp.resolve("none").toString());
        error("chart directory " + notAChart + " is not a directory", "dependency", "update", notAChart.toString());
        error("destination " + notAChart + " is not a directory", "package", tmp.toString(), "-d", notAChart.toString());
        error("destination " + notAChart + " is not a directory", "pull", "oci://127.0.0.1:1/charts/shop", "-d", notAChart.toString());
        error("chart archive " + tmp.resolve("none.tgz") + " does not exist", "push", tmp.resolve("none.tgz").toString(), "oci://127.0.0.1:1/charts");
        error("chart archive " + notAChart + " was refused", "push", notAChart.toString(), "oci://127.0.0.1:1/charts");
        error("cannot read the keyring " + tmp.resolve("no.gpg"), "verify", notAChart.toString(), "--keyring", tmp.resolve("no.gpg").toString());
        error("has no provenance file shop-1.0.0.tgz.prov", "verify", notAChart.toString(), "--keyring", keyring.toString());
        error("cannot read the secret keyring " + tmp.resolve("secring.gpg"), "package", tmp.toString(), "--sign", "--key", "bot",
                "--keyring", tmp.resolve("secring.gpg").toString());
        error("cannot read the passphrase file " + tmp.resolve("pass"), "package", tmp.toString(), "--sign", "--key", "bot",
                "--keyring", keyring.toString(), "--passphrase-file", tmp.resolve("pass").toString());
        error("cannot read the keyring", "pull", "oci://127.0.0.1:1/charts/shop", "--verify", "--keyring", tmp.resolve("no.gpg").toString());
        error("cannot read the CA file", "pull", "oci://127.0.0.1:1/charts/shop", "--ca-file", tmp.resolve("ca.pem").toString());
    }

    @Test
    void aPasswordInAUrlIsRefusedAndNeverShown() {
        Map<List<String>, String> refusals = Map.of(
                List.of("pull", "https://ci:S3cret-pw@charts.example.com#shop"), "'https://charts.example.com' is not a URL with a host",
                List.of("pull", "oci://ci:S3cret-pw@registry.example.com/charts/shop"), "'oci://registry.example.com/charts/shop' is not a URL with a host",
                List.of("pull", "https://ci:S3cret-pw@charts.example.com"), "'https://charts.example.com' is not oci://host/path/chart nor",
                // before the kubeconfig is read
                List.of("advise", "--chart", "shop=https://ci:S3cret-pw@charts.example.com", "--kubeconfig", "/nonexistent"),
                "'https://charts.example.com' is not a URL with a host");
        refusals.forEach((args, expected) -> {
            CliOutput r = CliOutput.run(args.toArray(String[]::new));
            assertTrue(r.exitCode() != 0 && r.err().contains(expected), r.toString());
            assertFalse((r.out() + r.err()).contains("S3cret-pw"), "no password in any output: " + r);
        });
    }

    private static void usage(String expected, String... args) {
        CliOutput r = CliOutput.run(args);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains(expected), r.toString());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
    }

    private static void error(String expected, String... args) {
        CliOutput r = CliOutput.run(args);
        assertEquals(ExitCodes.ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains(expected), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
        assertFalse(r.err().contains("Exception"), "no stack trace nor exception type: " + r);
        assertEquals("", r.out(), r.toString());
    }
}
