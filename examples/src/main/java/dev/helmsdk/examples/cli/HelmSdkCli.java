package dev.helmsdk.examples.cli;

import dev.helmsdk.api.HelmSdkException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;

/**
 * The command line over the SDK ({@code java -jar examples/target/helm-sdk-cli.jar --help}): dry runs a pipeline
 * can gate on, diffs, and the changes and reads of Helm's own command line, with exit codes that tell findings
 * from errors ({@link ExitCodes}).
 */
@Command(name = "helm-sdk-cli", mixinStandardHelpOptions = true, versionProvider = HelmSdkCli.Version.class,
        description = {"Helm releases through helm-sdk: dry runs a pipeline can gate on, diffs, drift, upgrade advice, Helm's changes "
                + "and reads, and the chart lifecycle (dependency, package, push, pull, verify).",
                "%nA dry run reports the objects that would be added, changed or removed against the live cluster, what its checks "
                        + "found, and one verdict (pass, warn, fail). Secret references in values (ref+vault://..., ref+k8s://..., "
                        + "ref+envsubst://...) are resolved by the resolvers on the class path, and chart repositories' and registries' "
                        + "credentials come from the SDK's providers, as in the SDK. Helm's caches go under ~ unless KUBECACHEDIR, "
                        + "HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME are set."},
        subcommands = {ReportCommand.DryRun.class, ReportCommand.Diff.class, DriftCommand.class, DeployCommand.Install.class, DeployCommand.Upgrade.class,
                ReleaseCommands.Rollback.class, ReleaseCommands.Status.class, ReleaseCommands.History.class,
                ReleaseCommands.Uninstall.class, AdviseCommand.class, LifecycleCommands.Package.class, LifecycleCommands.Push.class,
                LifecycleCommands.Pull.class, LifecycleCommands.Verify.class, DependencyCommand.class, HelmSdkCli.Completion.class,
                CommandLine.HelpCommand.class},
        footer = {"%nExamples:",
                "  helm-sdk-cli dry-run web ./charts/web -n apps -f values-prod.yaml --output junit > dry-run.xml",
                "  helm-sdk-cli upgrade web ./charts/web -n apps -f values-prod.yaml --wait --rollback-on-failure",
                "  helm-sdk-cli drift web -n apps --detailed-exitcode",
                "  helm-sdk-cli package ./charts/web -d target && helm-sdk-cli push target/web-1.0.0.tgz oci://registry.example.com/charts",
                "  helm-sdk-cli advise -A --chart web=oci://registry.example.com/charts/web --detailed-exitcode",
                "  source <(helm-sdk-cli completion)",
                "%nRun 'helm-sdk-cli COMMAND --help' for a command's options and examples.",
                ExitCodes.HELP})
public final class HelmSdkCli implements Runnable {

    @Spec
    CommandSpec spec;

    private Terminal terminal;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // The SDK's INFO lines would mix with the report on a terminal; -Dorg.slf4j.simpleLogger.defaultLogLevel=info shows them.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * Runs the command line.
     *
     * @param env the environment ({@code NO_COLOR})
     * @return the exit code: see {@code --help}
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(args, out, err, env).execute(args);
    }

    /** The command line, its handlers set, ready to run {@code args}. */
    static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        HelmSdkCli root = new HelmSdkCli();
        root.terminal = new Terminal(out, err, Terminal.colourWanted(env));
        CommandLine cl = new CommandLine(root).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(120);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("Error: " + e.getMessage());
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for how to use it.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof CommandLine.ParameterException p) {
                return c.getParameterExceptionHandler().handleParseException(p, args);
            }
            err.println("Error: " + message(e));
            err.flush();
            return ExitCodes.ERROR;
        });
        return cl;
    }

    /** The SDK's messages name the bad input and what to do; others get their type too. */
    private static String message(Exception e) {
        if (e instanceof HelmSdkException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    Terminal terminal() {
        return terminal;
    }

    @Override
    public void run() {
        // No command given: say how to use it.
        spec.commandLine().usage(terminal.out());
        terminal.out().flush();
    }

    /** {@code completion}: bash (and zsh with bashcompinit) completion of every command and option. */
    @Command(name = "completion", mixinStandardHelpOptions = true, description = "Print the bash completion script (zsh: after 'autoload -U +X bashcompinit && bashcompinit').",
            footer = {"%nExamples:", "  helm-sdk-cli completion > /etc/bash_completion.d/helm-sdk-cli",
                    "  source <(helm-sdk-cli completion)      # with alias helm-sdk-cli='java -jar /path/to/helm-sdk-cli.jar'"})
    static final class Completion implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            CommandLine root = spec.root().commandLine();
            spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
            spec.commandLine().getOut().flush();
        }
    }

    /** The SDK's version, from the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HelmSdkCli.class.getPackage().getImplementationVersion();
            return new String[] {"helm-sdk-cli " + (v == null ? "(development build)" : v)};
        }
    }
}
