package dev.helmsdk.examples.cli;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The chart lifecycle, no cluster: {@code package}, {@code push}, {@code pull} and {@code verify}, thin over
 * {@link ChartLifecycle}, with Helm's flag names and Helm's output lines where scripts read them.
 */
final class LifecycleCommands {

    private LifecycleCommands() {
    }

    /** What every lifecycle command takes: the root (for its terminal) and {@code --help}. */
    abstract static class LifecycleCommand implements Callable<Integer> {

        @ParentCommand
        HelmSdkCli cli;

        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        PrintWriter out() {
            return cli.terminal().out();
        }

        ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /** {@code package}. */
    @Command(name = "package", sortOptions = false,
            description = {"Package a chart directory into a versioned archive, as helm package (optionally signed).",
                    "%nThe dependencies are built first: from Chart.lock, or updated (Chart.lock written) when there is none, "
                            + "with the providers' credentials for each repository."},
            footer = {"%nExamples:",
                    "  helm-sdk-cli package ./charts/shop -d target",
                    "  helm-sdk-cli package ./charts/shop -d target --sign --key release-bot --keyring secring.gpg --passphrase-file pass.txt",
                    ExitCodes.HELP})
    static final class Package extends LifecycleCommand {

        @Parameters(index = "0", paramLabel = "CHART_DIR", description = "The chart's directory (with Chart.yaml).")
        Path chart;

        @Option(names = {"-d", "--destination"}, paramLabel = "DIR", defaultValue = ".", description = "Where the archive goes (default: .).")
        Path destination;

        @Option(names = "--sign", description = "Sign the package: a .prov file beside the archive (needs --key).")
        boolean sign;

        @Option(names = "--key", paramLabel = "NAME", description = "With --sign: the signing key's name (its user id or part of one).")
        String key;

        @Option(names = "--keyring", paramLabel = "SECRING",
                description = "With --sign: the secret keyring, legacy secring.gpg format (gpg --export-secret-keys > secring.gpg; "
                        + "default: $GNUPGHOME/secring.gpg, else ~/.gnupg/secring.gpg).")
        Path keyring;

        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "With --sign: a file holding the key's passphrase (none: the key has none).")
        Path passphraseFile;

        @Option(names = "--require-pinned", description = "When dependencies are updated, refuse any that is not one exact version (^1.2, 1.x, none).")
        boolean requirePinned;

        @Mixin
        SourceOptions sources;

        @Override
        public Integer call() {
            ChartLifecycle.Signing signing = null;
            if (sign) {
                if (key == null || key.isBlank()) {
                    throw usage("--sign needs --key NAME: the signing key's user id (or part of it)");
                }
                Path secring = keyring != null ? keyring : gnupgHome().resolve("secring.gpg");
                readable(Operation.PACKAGE, secring, "the secret keyring", "--keyring");
                if (passphraseFile != null) {
                    readable(Operation.PACKAGE, passphraseFile, "the passphrase file", "--passphrase-file");
                }
                signing = new ChartLifecycle.Signing(key, secring, passphraseFile);
            }
            directory(Operation.PACKAGE, chart);
            destination(Operation.PACKAGE, destination);
            ChartLifecycle.Packaged packaged;
            try (ChartLifecycle charts = lifecycle(sources.chartSources(Operation.PACKAGE, SourceOptions.dependencyRepositories(chart)), requirePinned)) {
                packaged = signing == null ? charts.packageChart(chart, destination) : charts.packageChart(chart, destination, signing);
            }
            out().println("Successfully packaged chart and saved it to: " + packaged.archive().toAbsolutePath().normalize());
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code push}. */
    @Command(name = "push", sortOptions = false,
            description = {"Push a packaged chart (and its .prov, when signed) to an OCI registry, as helm push.",
                    "%nThe chart goes to REMOTE/<name>:<version>; the blobs are uploaded first and the tag written last, so a refused "
                            + "push leaves no tag. Prints the reference and the manifest's digest (pin installs with ...@sha256:...)."},
            footer = {"%nExamples:",
                    "  helm-sdk-cli push target/shop-1.4.0.tgz oci://registry.example.com/charts",
                    "  HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_USERNAME=ci HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_PASSWORD=... \\",
                    "    helm-sdk-cli push target/shop-1.4.0.tgz oci://registry.example.com/charts",
                    ExitCodes.HELP})
    static final class Push extends LifecycleCommand {

        @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A packaged chart (.tgz).")
        Path archive;

        @Parameters(index = "1", paramLabel = "REMOTE", description = "oci://host[:port][/path]: where the chart's repository goes.")
        String remote;

        @Mixin
        SourceOptions sources;

        @Override
        public Integer call() {
            if (!remote.startsWith("oci://")) {
                throw usage("REMOTE '" + remote + "' is not an OCI reference: give oci://host[:port][/path]");
            }
            file(Operation.PUSH, archive, "chart archive");
            ChartLifecycle.Pushed pushed;
            try (ChartLifecycle charts = lifecycle(sources.chartSources(Operation.PUSH, List.of(remote)), false)) {
                pushed = charts.push(archive, remote);
            }
            // Helm prints the reference without its scheme.
            out().println("Pushed: " + pushed.reference().substring("oci://".length()));
            out().println("Digest: " + pushed.digest());
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code pull}. */
    @Command(name = "pull", sortOptions = false,
            description = {"Download a chart from an OCI registry or a repository, as helm pull, optionally unpacked and verified.",
                    "%nThe archive passes the same checks as for an install (digest, hostile entries, size budgets) before anything "
                            + "is written; with --verify also its provenance, and the .prov is written beside it."},
            footer = {"%nExamples:",
                    "  helm-sdk-cli pull oci://registry.example.com/charts/shop --version '~1.4' -d work",
                    "  helm-sdk-cli pull podinfo --repo https://stefanprodan.github.io/podinfo --version 6.5.0 --untar -d work",
                    "  helm-sdk-cli pull https://stefanprodan.github.io/podinfo#podinfo --verify --keyring pubring.gpg",
                    ExitCodes.HELP})
    static final class Pull extends LifecycleCommand {

        @Parameters(index = "0", paramLabel = "CHART",
                description = "oci://host/path/chart, a chart's name in the repository given with --repo, or https://repo#chart.")
        String chart;

        @Option(names = "--repo", paramLabel = "URL", description = "The chart repository CHART is a name in (https://charts.example.com).")
        String repo;

        @Option(names = "--version", paramLabel = "VERSION", description = "The chart version or constraint (1.4.0, ~1.4; default: the latest stable).")
        String version;

        @Option(names = {"-d", "--destination"}, paramLabel = "DIR", defaultValue = ".", description = "Where the archive goes (default: .).")
        Path destination;

        @Option(names = "--untar", description = "Unpack the chart into --untardir (an existing directory is never overwritten).")
        boolean untar;

        @Option(names = "--untardir", paramLabel = "DIR", defaultValue = ".",
                description = "With --untar: where the chart's directory goes, relative to --destination unless absolute (default: .).")
        Path untardir;

        @Option(names = "--verify", description = "Verify the chart's provenance (.prov) against --keyring before writing anything.")
        boolean verify;

        @Option(names = "--keyring", paramLabel = "PUBRING",
                description = "With --verify: the public keyring, binary or armored (default: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg).")
        Path keyring;

        @Mixin
        SourceOptions sources;

        @Override
        public Integer call() {
            ChartRef ref = repo != null ? ChartRefs.repository(spec.commandLine(), repo, chart, version)
                    : ChartRefs.parse(spec.commandLine(), "CHART", chart, version, " (a chart's name needs --repo URL)");
            Path pubring = verify ? (keyring != null ? keyring : gnupgHome().resolve("pubring.gpg")) : null;
            if (pubring != null) {
                readable(Operation.PULL, pubring, "the keyring", "--keyring");
            }
            destination(Operation.PULL, untar ? destination.resolve(untardir) : destination);
            ChartLifecycle.Pulled pulled;
            try (ChartLifecycle charts = lifecycle(sources.chartSources(Operation.PULL, List.of(ChartRefs.url(ref))), false, pubring)) {
                pulled = untar ? charts.pullUntarred(ref, destination.resolve(untardir)) : charts.pull(ref, destination);
            }
            pulled.verification().ifPresent(v -> printVerified(out(), v));
            out().println("Pulled: " + pulled.name() + " " + pulled.version() + " to " + pulled.path().toAbsolutePath().normalize());
            out().println("Archive digest: " + pulled.digest());
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code verify}. */
    @Command(name = "verify", sortOptions = false,
            description = {"Verify a packaged chart's provenance (ARCHIVE.prov beside it), as helm verify.",
                    "%nThe clear signature is checked against the keyring, then the archive's sha256 against the one signed."},
            footer = {"%nExamples:", "  helm-sdk-cli verify target/shop-1.4.0.tgz --keyring pubring.gpg", ExitCodes.HELP})
    static final class Verify extends LifecycleCommand {

        @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A packaged chart (.tgz) with its .prov beside it.")
        Path archive;

        @Option(names = "--keyring", paramLabel = "PUBRING",
                description = "The public keyring, binary (gpg --export) or armored (default: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg).")
        Path keyring;

        @Override
        public Integer call() {
            Path pubring = keyring != null ? keyring : gnupgHome().resolve("pubring.gpg");
            file(Operation.VERIFY, archive, "chart archive");
            readable(Operation.VERIFY, pubring, "the keyring", "--keyring");
            ChartLifecycle.Verified verified;
            try (ChartLifecycle charts = lifecycle(ChartSources.defaults(), false)) {
                verified = charts.verify(archive, pubring);
            }
            printVerified(out(), verified);
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** Helm's three lines ({@code helm verify}, {@code helm pull --verify}). */
    static void printVerified(PrintWriter out, ChartLifecycle.Verified v) {
        out.println("Signed by: " + v.signer());
        out.println("Using Key With Fingerprint: " + v.fingerprint());
        out.println("Chart Hash Verified: " + v.digest());
    }

    static ChartLifecycle lifecycle(ChartSources sources, boolean requirePinned) {
        return lifecycle(sources, requirePinned, null);
    }

    private static ChartLifecycle lifecycle(ChartSources sources, boolean requirePinned, Path verifyWith) {
        ChartLifecycle.Builder b = HelmSdk.chartLifecycle().chartSources(sources).requirePinnedDependencies(requirePinned);
        if (verifyWith != null) {
            b.verifyWith(verifyWith);
        }
        return b.build();
    }

    /** GnuPG's home, where Helm looks for keyrings by default. */
    private static Path gnupgHome() {
        String home = System.getenv("GNUPGHOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".gnupg");
    }

    static void directory(Operation operation, Path chart) {
        if (!Files.isDirectory(chart)) {
            throw new InvalidRequestException(operation, null, "chart directory " + chart + (Files.exists(chart) ? " is not a directory" : " does not exist")
                    + ": give the directory that holds Chart.yaml");
        }
    }

    /** A destination that exists must be a directory (one is created otherwise). */
    private static void destination(Operation operation, Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new InvalidRequestException(operation, null, "destination " + directory + " is not a directory: give a directory (it is created if missing)");
        }
    }

    private static void file(Operation operation, Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidRequestException(operation, null, what + " " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
    }

    private static void readable(Operation operation, Path file, String what, String option) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidRequestException(operation, null, "cannot read " + what + " " + file + ": give a readable file with " + option);
        }
    }
}
