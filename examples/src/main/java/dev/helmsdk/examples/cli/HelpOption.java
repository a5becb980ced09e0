package dev.helmsdk.examples.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} alone: picocli's standard mixin would add {@code -V/--version}, which clashes with a chart's {@code --version}. */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help, with examples and exit codes.")
    boolean help;
}
