package dev.helmsdk.examples.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** What the commands that deploy a chart take: {@code RELEASE CHART}, the chart's options and the cluster's. */
abstract class ChartCommand implements Callable<Integer> {

    @ParentCommand
    HelmSdkCli cli;

    @Parameters(index = "0", paramLabel = "RELEASE", description = "The release's name.")
    String release;

    @Parameters(index = "1", paramLabel = "CHART", description = ChartOptions.CHART_HELP)
    String chartArg;

    @Mixin
    ChartOptions chart;

    @Mixin
    ClusterOptions cluster;
}
