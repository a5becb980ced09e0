package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.UpgradePolicy;
import dev.helmsdk.core.advisor.UpgradeRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code advise} without a cluster: its options, and how a report becomes output and an exit code. */
class AdviseCommandTest {

    private static final String REPO = "http://127.0.0.1:1/ podinfo";
    private static final ReleaseAdvice BEHIND = new ReleaseAdvice("apps", "web", "podinfo", "6.5.0", ReleaseAdvice.Status.UPGRADE_AVAILABLE,
            "6.14.1", "7.0.0", ReleaseAdvice.Distance.MAJOR, 12,
            new ReleaseAdvice.ChartNotes("6.14.1", "6.14.1", List.of(new ReleaseAdvice.ChartChange("fixed", "the probe path")), true), REPO, "");
    private static final ReleaseAdvice CURRENT = new ReleaseAdvice("apps", "api", "podinfo", "7.0.0", ReleaseAdvice.Status.UP_TO_DATE,
            "", "7.0.0", ReleaseAdvice.Distance.NONE, 0, ReleaseAdvice.ChartNotes.none(), REPO, "");
    private static final ReleaseAdvice FAILED = new ReleaseAdvice("db", "cache", "redis", "18.0.0", ReleaseAdvice.Status.SOURCE_FAILED,
            "", "", ReleaseAdvice.Distance.UNKNOWN, 0, ReleaseAdvice.ChartNotes.none(), "oci://registry.example.com/charts/redis",
            "registry oci://registry.example.com/charts/redis refused the credentials (401)");

    private static AdvisorReport report(ReleaseAdvice... advice) {
        return new AdvisorReport(Instant.parse("2026-12-04T12:00:00Z"), UpgradePolicy.MINOR, false, List.of(advice));
    }

    @Test
    void exitCodesTellAFailedUpgradeFromAnUnreadableSourceFromUpgradesFromNothing() {
        assertEquals(0, finish(report(CURRENT), null, new StringWriter(), new StringWriter(), "--detailed-exitcode"));
        assertEquals(0, finish(report(BEHIND, CURRENT), null, new StringWriter(), new StringWriter()), "upgrades count only when asked");
        assertEquals(2, finish(report(BEHIND, CURRENT), null, new StringWriter(), new StringWriter(), "--detailed-exitcode"));
        StringWriter err = new StringWriter();
        assertEquals(1, finish(report(BEHIND, FAILED), null, new StringWriter(), err, "--detailed-exitcode"), "a source that could not be read wins");
        assertEquals("Error: source oci://registry.example.com/charts/redis could not be read for db/cache: registry "
                + "oci://registry.example.com/charts/redis refused the credentials (401)\n", err.toString());
        UpgradeRun failedRun = new UpgradeRun(List.of(), List.of(), Optional.of(new UpgradeRun.Failure(BEHIND,
                new InvalidRequestException(Operation.UPGRADE, "web", "values do not match the chart's schema"))), List.of(CURRENT));
        StringWriter upgradeErr = new StringWriter();
        assertEquals(3, finish(report(BEHIND, FAILED), failedRun, new StringWriter(), upgradeErr, "--upgrade"), "a failed upgrade wins");
        assertTrue(upgradeErr.toString().startsWith("Error: upgrading apps/web to podinfo 6.14.1 failed: ")
                && upgradeErr.toString().contains("; not tried: apps/api"), upgradeErr.toString());
    }

    @Test
    void textIsATableWithTheChangesOfTheNewestAllowedAndWhySomeHaveNoAnswer() {
        StringWriter out = new StringWriter();
        finish(report(CURRENT, BEHIND, FAILED), null, out, new StringWriter());
        String text = out.toString();
        assertTrue(text.startsWith("NAMESPACE  RELEASE  CHART    CURRENT  STATUS             UPGRADE TO  NEWEST  BEHIND\n"
                + "apps       api      podinfo  7.0.0    up to date                     7.0.0\n"
                + "apps       web      podinfo  6.5.0    upgrade available  6.14.1      7.0.0   12 (major)\n"
                + "db         cache    redis    18.0.0   source failed\n"), text);
        assertTrue(text.contains("\napps/web: podinfo 6.14.1 (app version 6.14.1)\n  - fixed: the probe path\n"), text);
        assertTrue(text.contains("\ndb/cache: source failed: registry oci://registry.example.com/charts/redis refused the credentials (401)\n"), text);
        assertTrue(text.endsWith("1 of 3 releases can be upgraded within policy minor; 0 held back, 1 up to date.\n"), text);
    }

    @Test
    void jsonIsTheReportAloneAndUpgradesGoToStderr() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Release upgraded = new Release("web", "apps", 2, ReleaseStatus.DEPLOYED, "podinfo", "6.14.1", "6.14.1", null, "Upgrade complete", "");
        int code = finish(report(BEHIND, CURRENT), new UpgradeRun(List.of(upgraded), List.of(), Optional.empty(), List.of()), out, err,
                "-o", "json", "--upgrade", "--detailed-exitcode");
        assertEquals(2, code, "with --upgrade: something was behind, and was upgraded");
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(1, json.at("/summary/upgradeAvailable").asInt());
        assertEquals("6.14.1", json.at("/releases/0/newestAllowed").asText());
        assertEquals("Upgraded apps/web to podinfo 6.14.1 (revision 2)\n", err.toString());
    }

    @Test
    void sourcesPoliciesAndNamespacesThatCannotWorkExit64NamingThem() {
        usage("Missing required option: '--chart=NAME=REF'", "advise");
        usage("--chart 'podinfo' is not NAME=REF", "advise", "--chart", "podinfo");
        usage("--chart shop: './charts/shop' is not oci://host/path/chart nor https://repository#chart", "advise", "--chart", "shop=./charts/shop");
        usage("--chart redis: '@sha256:abc' is not a version constraint", "advise", "--chart", "redis=oci://r.example.com/redis@sha256:abc");
        usage("--policy: unknown upgrade policy 'minr'; valid: patch, minor, major", "advise", "--chart", "a=oci://r.example.com/a", "--policy", "minr");
        usage("give --namespace or --all-namespaces, not both", "advise", "-A", "-n", "apps", "--chart", "a=oci://r.example.com/a");
        usage("Invalid value for option '--output'", "advise", "--chart", "a=oci://r.example.com/a", "-o", "junit");
        String help = CliOutput.run("advise", "--help").out();
        for (String option : List.of("--all-namespaces", "-A", "--selector", "-l", "--chart", "--policy", "--pre-releases", "--output",
                "--detailed-exitcode", "--upgrade", "--namespace", "--kubeconfig", "--plain-http", "--ca-file")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
    }

    @Test
    void aSourceIsAnOciReferenceOrARepositoryWithItsChartAndAConstraintAfterThePath() {
        String[] argv = {"advise", "--chart", "a=oci://r.example.com/a"};
        CommandLine cl = HelmSdkCli.commandLine(argv, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of());
        AdviseCommand command = (AdviseCommand) cl.parseArgs(argv).subcommand().commandSpec().userObject();
        assertEquals(ChartRef.oci("oci://registry-1.docker.io/bitnamicharts/redis", "<21"),
                command.source("redis", "oci://registry-1.docker.io/bitnamicharts/redis@<21"));
        assertEquals(ChartRef.oci("oci://registry.example.com:5000/charts/shop", null), command.source("shop", "oci://registry.example.com:5000/charts/shop"));
        assertEquals(ChartRef.repository("https://stefanprodan.github.io/podinfo", "podinfo", null),
                command.source("podinfo", "https://stefanprodan.github.io/podinfo"), "the chart's name in the index: NAME by default");
        assertEquals(ChartRef.repository("https://charts.example.com/", "web-app", "^2"), command.source("web", "https://charts.example.com/#web-app@^2"));
        assertEquals(ChartRef.repository("https://charts.example.com/", "web", ">=1.2 <3"), command.source("web", "https://charts.example.com/@>=1.2 <3"));
        assertEquals(ChartRef.repository("https://ci@charts.example.com", "web", null), command.source("web", "https://ci@charts.example.com"),
                "an '@' in the authority is user info (refused later, unshown), not a constraint");
    }

    private static void usage(String expected, String... args) {
        CliOutput r = CliOutput.run(args);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains(expected), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    /** The exit code and output of {@code advise --chart ... args}, given what the advisor returned. */
    private static int finish(AdvisorReport report, UpgradeRun run, StringWriter out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("advise", "--chart", "podinfo=http://127.0.0.1:1/"));
        all.addAll(List.of(args));
        String[] argv = all.toArray(String[]::new);
        CommandLine cl = HelmSdkCli.commandLine(argv, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());
        AdviseCommand command = (AdviseCommand) cl.parseArgs(argv).subcommand().commandSpec().userObject();
        command.write(report);
        return command.finish(report, run);
    }
}
