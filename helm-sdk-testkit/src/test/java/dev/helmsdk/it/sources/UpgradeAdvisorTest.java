package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.ReleaseAdvice.Status;
import dev.helmsdk.core.advisor.UpgradeAdvisor;
import dev.helmsdk.core.advisor.UpgradePolicy;
import dev.helmsdk.core.advisor.UpgradeRun;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade advisor over releases the manager installed into the embedded API, against the testkit's fake
 * repository and registry (request-counting fakes) and a real nginx (its own ETag and 304).
 */
@EmbeddedKubernetesTest
@Tag("integration")
class UpgradeAdvisorTest {

    @TempDir
    Path tmp;

    /** A minimal chart directory: one ConfigMap, and optionally a template of the caller's. */
    private Path chart(String name, String version, String extraTemplate) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name + "-" + version).resolve(name));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: " + version + "\nappVersion: \"1.0\"\n");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  v: {{ .Chart.Version | quote }}\n");
        if (extraTemplate != null) {
            Files.writeString(dir.resolve("templates/extra.yaml"), extraTemplate);
        }
        return dir;
    }

    private static HelmManager manager(EmbeddedKubernetes cluster, ChartSources sources, SimpleMeterRegistry meters) {
        return HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(sources).meterRegistry(meters).build();
    }

    private static Map<String, ReleaseAdvice> byRelease(AdvisorReport report) {
        return report.releases().stream().collect(Collectors.toMap(ReleaseAdvice::release, Function.identity()));
    }

    @Test
    void oneRequestPerSourcePerRunTheEtagOnTheSecondAndMeters(EmbeddedKubernetes cluster) throws IOException {
        Path web = chart("web", "1.2.0", null);
        Path api = chart("api", "0.1.0", null);
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(web, "1.2.0").chart(web, "1.2.5").chart(web, "1.4.0")
                .chart(web, "2.0.0").chart(web, "2.1.0-rc.1").start();
             FakeOciRegistry registry = FakeOciRegistry.builder().chart(api, "0.1.0").chart(api, "0.1.1").chart(api, "0.2.0").start()) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort()).plainHttp(registry.hostAndPort()).build();
            try (HelmManager helm = manager(cluster, sources, meters)) {
                for (String name : List.of("web-a", "web-b", "web-c")) {
                    helm.install(name).inNamespace("advise").createNamespace().chart(ChartRef.local(web)).run();
                }
                helm.install("api").inNamespace("advise").chart(ChartRef.local(api)).run();
                helm.install("stray").inNamespace("advise").chart(ChartRef.local(chart("stray", "1.0.0", null))).run();
                repo.clearRequests();
                registry.clearRequests();
                try (UpgradeAdvisor advisor = UpgradeAdvisor.builder(helm).inNamespace("advise")
                        .chart("web", ChartRef.repository(repo.url().toString(), "web", null))
                        .chart("api", ChartRef.oci(registry.url() + "/api", null))
                        .policy(UpgradePolicy.MINOR).build()) {
                    AdvisorReport first = advisor.check();
                    Map<String, ReleaseAdvice> a = byRelease(first);
                    assertEquals(5, first.releases().size());
                    ReleaseAdvice webA = a.get("web-a");
                    assertEquals(Status.UPGRADE_AVAILABLE, webA.status());
                    assertEquals("1.2.0", webA.currentVersion());
                    assertEquals("1.4.0", webA.newestAllowed(), "minor policy: the newest 1.x");
                    assertEquals("2.0.0", webA.newestOverall(), "pre-releases are not counted unless opted in");
                    assertEquals(ReleaseAdvice.Distance.MAJOR, webA.distance());
                    assertEquals(3, webA.versionsBehind());
                    assertEquals("1.0", webA.notes().appVersion(), "the fake's index carries the chart's appVersion, as helm repo index writes it");
                    assertEquals("0.2.0", a.get("api").newestAllowed());
                    assertEquals(false, a.get("api").notes().described(), "tag lists describe nothing");
                    assertEquals(Status.NO_SOURCE, a.get("stray").status());
                    assertTrue(a.get("stray").problem().contains("'stray'"), a.get("stray").problem());

                    List<FakeChartRepository.Request> index = repo.requests().stream().filter(r -> r.path().endsWith("index.yaml")).toList();
                    assertEquals(1, index.size(), "three releases, one index request: " + repo.requests());
                    assertEquals(200, index.get(0).status());
                    assertEquals(1, registry.requests().stream().filter(r -> r.path().contains("/tags/list")).count(), registry.requests().toString());

                    repo.clearRequests();
                    registry.clearRequests();
                    AdvisorReport second = advisor.check();
                    assertEquals(first.releases(), second.releases());
                    index = repo.requests().stream().filter(r -> r.path().endsWith("index.yaml")).toList();
                    assertEquals(1, index.size(), repo.requests().toString());
                    assertTrue(index.get(0).conditional() && index.get(0).status() == 304, "the second run revalidates with the ETag: " + index);
                    assertEquals(List.of(), repo.requests().stream().filter(r -> !r.path().endsWith("index.yaml")).toList(), "no archive was read");

                    assertEquals(3.0, meters.get("helm.sdk.advisor.releases").tags("chart", "web", "status", "upgrade_available").gauge().value());
                    assertEquals(1.0, meters.get("helm.sdk.advisor.releases").tags("chart", "stray", "status", "no_source").gauge().value());
                    assertEquals(3.0, meters.get("helm.sdk.advisor.behind").tags("chart", "web", "distance", "major").gauge().value());
                    assertEquals(1.0, meters.get("helm.sdk.advisor.behind").tags("chart", "api", "distance", "minor").gauge().value());
                    assertTrue(meters.find("helm.sdk.advisor.versions.behind").gauges().isEmpty(), "no release names in meters unless opted in");
                }
                try (UpgradeAdvisor named = UpgradeAdvisor.builder(helm).inNamespace("advise").meterReleaseNames(true).preReleases(true)
                        .policy(UpgradePolicy.MAJOR).chart("web", ChartRef.repository(repo.url().toString(), "web", null)).build()) {
                    ReleaseAdvice webB = byRelease(named.check()).get("web-b");
                    assertEquals("2.1.0-rc.1", webB.newestAllowed(), "pre-releases opted in");
                    assertEquals(4.0, meters.get("helm.sdk.advisor.versions.behind").tags("namespace", "advise", "release", "web-b", "chart", "web")
                            .gauge().value());
                }
                try (UpgradeAdvisor constrained = UpgradeAdvisor.builder(helm).inNamespace("advise").preReleases(true).policy(UpgradePolicy.MAJOR)
                        .chart("web", ChartRef.repository(repo.url().toString(), "web", "<1.3")).build()) {
                    assertEquals("1.2.5", byRelease(constrained.check()).get("web-c").newestAllowed());
                }
            }
        }
    }

    @Test
    void aSourceDownOrRefusingCredentialsIsReportedAndTheRestAdvised(EmbeddedKubernetes cluster) throws IOException {
        Path up = chart("up", "1.0.0", null);
        Path down = chart("down", "1.0.0", null);
        Path locked = chart("locked", "1.0.0", null);
        try (FakeChartRepository good = FakeChartRepository.builder().chart(up, "1.0.0").chart(up, "1.0.1").start();
             FakeChartRepository broken = FakeChartRepository.builder().chart(down, "1.0.1").start();
             FakeOciRegistry guarded = FakeOciRegistry.builder().basicAuth("robot", "right-pw").chart(locked, "1.1.0").start()) {
            broken.startOutage(503);
            ChartSources sources = ChartSources.builder().plainHttp(good.hostAndPort()).plainHttp(broken.hostAndPort())
                    .plainHttp(guarded.hostAndPort())
                    .credentials(StaticCredentialProvider.of(guarded.url(), new Credentials.BasicAuth("robot", "wrong-pw"))).build();
            try (HelmManager helm = manager(cluster, sources, new SimpleMeterRegistry())) {
                for (Path c : List.of(up, down, locked)) {
                    helm.install(c.getFileName().toString()).inNamespace("partial").createNamespace().chart(ChartRef.local(c)).run();
                }
                try (UpgradeAdvisor advisor = UpgradeAdvisor.builder(helm).inNamespace("partial")
                        .chart("up", ChartRef.repository(good.url().toString(), "up", null))
                        .chart("down", ChartRef.repository(broken.url().toString(), "down", null))
                        .chart("locked", ChartRef.oci(guarded.url() + "/locked", null)).build()) {
                    Map<String, ReleaseAdvice> a = byRelease(advisor.check());
                    assertEquals(Status.UPGRADE_AVAILABLE, a.get("up").status());
                    assertEquals("1.0.1", a.get("up").newestAllowed());
                    assertEquals(Status.SOURCE_FAILED, a.get("down").status());
                    assertTrue(a.get("down").problem().contains("503"), a.get("down").problem());
                    assertEquals(Status.SOURCE_FAILED, a.get("locked").status());
                    assertTrue(a.get("locked").problem().contains("rejected the credentials"), a.get("locked").problem());
                    assertTrue(!a.get("locked").problem().contains("wrong-pw"), "no secret in the report");
                }
            }
        }
    }

    @Test
    void configurationErrorsComeBeforeAnyRequest(EmbeddedKubernetes cluster) {
        try (FakeChartRepository repo = FakeChartRepository.builder().start();
             HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).build()) {
            repo.clearRequests();
            UpgradeAdvisor.Builder base = UpgradeAdvisor.builder(helm);
            InvalidRequestException constraint = assertThrows(InvalidRequestException.class,
                    () -> UpgradeAdvisor.builder(helm).chart("web", ChartRef.repository(repo.url().toString(), "web", ">=1.2 <<2")).build());
            assertTrue(constraint.getMessage().contains("'<<2'") && constraint.getMessage().contains("'~1.4'"), constraint.getMessage());
            InvalidRequestException local = assertThrows(InvalidRequestException.class,
                    () -> UpgradeAdvisor.builder(helm).chart("web", ChartRef.directory(Path.of("charts/web"))).build());
            assertTrue(local.getMessage().contains("ChartRef.repository"), local.getMessage());
            InvalidRequestException oci = assertThrows(InvalidRequestException.class,
                    () -> UpgradeAdvisor.builder(helm).chart("web", ChartRef.oci("oci://registry-only", null)).build());
            assertTrue(oci.getMessage().contains("oci://host[:port]/path/chart"), oci.getMessage());
            InvalidRequestException selector = assertThrows(InvalidRequestException.class, () -> base.selector("team in (a,b)"));
            assertTrue(selector.getMessage().contains("key=value"), selector.getMessage());
            assertThrows(InvalidRequestException.class, () -> base.selector("owner=helm"));
            InvalidRequestException ns = assertThrows(InvalidRequestException.class, () -> UpgradeAdvisor.builder(helm).inNamespace("Bad_NS").build());
            assertTrue(ns.getMessage().contains("'Bad_NS'"), ns.getMessage());
            assertEquals(List.of(), repo.requests(), "nothing was requested");
        }
    }

    @Test
    void upgradesOneAtATimeAndHaltOnTheFirstFailure(EmbeddedKubernetes cluster) throws IOException {
        Path v1 = chart("svc", "1.0.0", null);
        // The next version refuses releases whose values set breakOnUpgrade: only svc-b's do.
        Path v2 = chart("svc", "1.1.0", "{{ if .Values.breakOnUpgrade }}{{ fail \"svc 1.1.0 no longer supports breakOnUpgrade\" }}{{ end }}\n");
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(v1, "1.0.0").chart(v2, "1.1.0").start()) {
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort()).build();
            try (HelmManager helm = manager(cluster, sources, new SimpleMeterRegistry())) {
                helm.install("svc-a").inNamespace("roll").createNamespace().chart(ChartRef.local(v1)).set("replicas", 2).run();
                helm.install("svc-b").inNamespace("roll").chart(ChartRef.local(v1)).set("breakOnUpgrade", true).run();
                helm.install("svc-c").inNamespace("roll").chart(ChartRef.local(v1)).run();
                try (UpgradeAdvisor advisor = UpgradeAdvisor.builder(helm).inNamespace("roll")
                        .chart("svc", ChartRef.repository(repo.url().toString(), "svc", null)).build()) {
                    AdvisorReport report = advisor.check();
                    assertEquals(3, report.upgradable().size());
                    UpgradeRun run = advisor.upgrade(report);
                    assertEquals(List.of("svc-a"), run.upgraded().stream().map(r -> r.name()).toList());
                    assertEquals("1.1.0", run.upgraded().get(0).chartVersion());
                    assertEquals(Map.of("replicas", 2), helm.values("svc-a").inNamespace("roll").run(), "values reused");
                    assertEquals("svc-b", run.failed().orElseThrow().advice().release());
                    assertTrue(run.failed().get().error().getMessage().contains("no longer supports breakOnUpgrade"),
                            run.failed().get().error().getMessage());
                    assertEquals(List.of("svc-c"), run.notTried().stream().map(ReleaseAdvice::release).toList());
                    assertEquals("1.0.0", helm.status("svc-b").inNamespace("roll").run().chartVersion(), "the failed one is unchanged");
                    assertEquals("1.0.0", helm.status("svc-c").inNamespace("roll").run().chartVersion(), "the rest were not tried");
                }
            }
        }
    }

    @Test
    void anAdvisorOverAWithActorViewUsesTheManagersSourcesAndUpgradesAsItsActor(EmbeddedKubernetes cluster) throws IOException {
        Path v1 = chart("acted", "1.0.0", null);
        Path v2 = chart("acted", "1.1.0", null);
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(v1, "1.0.0").chart(v2, "1.1.0").start()) {
            // Plain HTTP only by the manager's sources: with ChartSources.defaults() the fake would be refused.
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort()).build();
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(sources).meterRegistry(meters)
                    .interceptor(new dev.helmsdk.api.spi.OperationInterceptor() {
                        @Override
                        public void before(dev.helmsdk.api.spi.OperationEvent event) {
                            seen.add(event.operation().tag() + ":" + event.actor());
                        }
                    }).build()) {
                helm.install("acted").inNamespace("acting").createNamespace().chart(ChartRef.local(v1)).run();
                cluster.client().secrets().inNamespace("acting").withLabel("name", "acted").list().getItems().forEach(s ->
                        cluster.client().secrets().inNamespace("acting").withName(s.getMetadata().getName()).edit(x -> {
                            x.getMetadata().getLabels().put("team", "payments");
                            return x;
                        }));
                seen.clear();
                HelmManager ci = helm.withActor("ci:advisor");
                try (UpgradeAdvisor advisor = UpgradeAdvisor.builder(ci).inNamespace("acting").selector("team=payments")
                        .chart("acted", ChartRef.repository(repo.url().toString(), "acted", null)).build()) {
                    AdvisorReport report = advisor.check();
                    ReleaseAdvice a = report.releases().get(0);
                    assertEquals(Status.UPGRADE_AVAILABLE, a.status(), "the manager's sources, through the view: " + a.problem());
                    assertEquals(1.0, meters.get("helm.sdk.advisor.releases").tags("chart", "acted", "status", "upgrade_available")
                            .gauge().value(), "the manager's meter registry, through the view");
                    UpgradeRun run = advisor.upgrade(report);
                    assertEquals("1.1.0", run.upgraded().get(0).chartVersion());
                    assertEquals(List.of("list:ci:advisor", "needs_upgrade:ci:advisor", "upgrade:ci:advisor"), seen,
                            "the labelled listing and the upgrade, all as the view's actor");
                }
            }
        }
    }

    @Test
    void aReportThisAdvisorCannotCarryOutIsRefusedBeforeAnyUpgrade(EmbeddedKubernetes cluster) throws IOException {
        Path v1 = chart("own", "1.0.0", null);
        Path v2 = chart("own", "1.1.0", null);
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(v1, "1.0.0").chart(v2, "1.1.0").start();
             FakeChartRepository other = FakeChartRepository.builder().chart(v1, "1.0.0").chart(v2, "1.1.0").start()) {
            ChartSources sources = ChartSources.builder().plainHttp(repo.hostAndPort()).plainHttp(other.hostAndPort()).build();
            try (HelmManager helm = manager(cluster, sources, new SimpleMeterRegistry())) {
                helm.install("own-a").inNamespace("foreign").createNamespace().chart(ChartRef.local(v1)).run();
                helm.install("own-b").inNamespace("foreign").chart(ChartRef.local(v1)).run();
                ChartRef source = ChartRef.repository(repo.url().toString(), "own", null);
                try (UpgradeAdvisor mine = UpgradeAdvisor.builder(helm).inNamespace("foreign").chart("own", source).build();
                     UpgradeAdvisor elsewhere = UpgradeAdvisor.builder(helm).inNamespace("foreign")
                             .chart("own", ChartRef.repository(other.url().toString(), "own", null)).build();
                     UpgradeAdvisor unmapped = UpgradeAdvisor.builder(helm).inNamespace("foreign").build()) {
                    AdvisorReport report = mine.check();
                    assertEquals(2, report.upgradable().size());

                    InvalidRequestException noSource = assertThrows(InvalidRequestException.class, () -> unmapped.upgrade(report));
                    assertTrue(noSource.getMessage().contains("'own-a'") && noSource.getMessage().contains("maps to no source")
                            && noSource.getMessage().contains("nothing was upgraded"), noSource.getMessage());
                    InvalidRequestException otherSource = assertThrows(InvalidRequestException.class, () -> elsewhere.upgrade(report));
                    assertTrue(otherSource.getMessage().contains(repo.url().toString()) && otherSource.getMessage().contains(other.url().toString()),
                            otherSource.getMessage());

                    ReleaseAdvice a = report.upgradable().get(0);
                    ReleaseAdvice b = report.upgradable().get(1);
                    ReleaseAdvice noVersion = new ReleaseAdvice(b.namespace(), b.release(), b.chart(), b.currentVersion(), b.status(), "",
                            b.newestOverall(), b.distance(), b.versionsBehind(), b.notes(), b.source(), "");
                    AdvisorReport handMade = new AdvisorReport(report.checkedAt(), report.policy(), false, List.of(a, noVersion));
                    InvalidRequestException empty = assertThrows(InvalidRequestException.class, () -> mine.upgrade(handMade));
                    assertTrue(empty.getMessage().contains("'own-b'") && empty.getMessage().contains("to no version"), empty.getMessage());
                    ReleaseAdvice badName = new ReleaseAdvice(b.namespace(), "Not_A_Release", b.chart(), b.currentVersion(), b.status(),
                            b.newestAllowed(), b.newestOverall(), b.distance(), b.versionsBehind(), b.notes(), b.source(), "");
                    assertThrows(InvalidRequestException.class,
                            () -> mine.upgrade(new AdvisorReport(report.checkedAt(), report.policy(), false, List.of(a, badName))));
                    assertEquals("1.0.0", helm.status("own-a").inNamespace("foreign").run().chartVersion(),
                            "a refused report upgrades nothing, not even the releases before the bad one");

                    assertEquals(2, mine.upgrade(report).upgraded().size(), "the advisor's own report");
                    mine.close();
                    assertThrows(InvalidRequestException.class, mine::check, "a closed advisor says so");
                }
            }
        }
    }

    @Test
    void chartNotesFromARealServersIndexAndALabelSelector(EmbeddedKubernetes cluster) throws IOException {
        try (NginxChartRepository nginx = NginxChartRepository.startOpenOrSkip(false)) {
            // What `helm repo index` writes for a newer version: appVersion and the chart's annotations.
            Files.writeString(nginx.dir().resolve("www/index.yaml"), """
                    apiVersion: v1
                    entries:
                      sdk-web:
                      - name: sdk-web
                        version: 0.4.0
                        appVersion: "2.2"
                        urls: [sdk-web-0.4.0.tgz]
                        annotations:
                          artifacthub.io/changes: |
                            - kind: added
                              description: a PodDisruptionBudget
                            - kind: security
                              description: base image with the CVE fixed
                      - name: sdk-web
                        version: 0.3.0
                        appVersion: "2.1"
                        urls: [sdk-web-0.3.0.tgz]
                    generated: "2026-12-03T00:00:00Z"
                    """);
            try (HelmManager helm = manager(cluster, ChartSources.builder().plainHttp("127.0.0.1:" + nginx.port()).build(), new SimpleMeterRegistry())) {
                for (String name : List.of("notes-a", "notes-b")) {
                    helm.install(name).inNamespace("notes").createNamespace().chart(ChartRef.local(SourceCharts.chartDir())).run();
                }
                // As `helm install --labels team=payments` labels the release records (Helm 3.13+).
                cluster.client().secrets().inNamespace("notes").withLabel("name", "notes-a").list().getItems().forEach(s ->
                        cluster.client().secrets().inNamespace("notes").withName(s.getMetadata().getName()).edit(x -> {
                            x.getMetadata().getLabels().put("team", "payments");
                            return x;
                        }));
                try (UpgradeAdvisor advisor = UpgradeAdvisor.builder(helm).inNamespace("notes").selector("team=payments")
                        .chart("sdk-web", ChartRef.repository(nginx.uri().toString(), "sdk-web", null)).build()) {
                    AdvisorReport report = advisor.check();
                    assertEquals(List.of("notes-a"), report.releases().stream().map(ReleaseAdvice::release).toList(), "only the labelled release");
                    ReleaseAdvice.ChartNotes notes = report.releases().get(0).notes();
                    assertEquals(new ReleaseAdvice.ChartNotes("0.4.0", "2.2", List.of(new ReleaseAdvice.ChartChange("added", "a PodDisruptionBudget"),
                            new ReleaseAdvice.ChartChange("security", "base image with the CVE fixed")), true), notes);
                    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toJson());
                    assertEquals("security", json.path("releases").get(0).path("notes").path("changes").get(1).path("kind").asText());
                    assertEquals("2.2", json.path("releases").get(0).path("notes").path("appVersion").asText());
                    assertEquals(Status.UPGRADE_AVAILABLE, advisor.check().releases().get(0).status(), "the second run (nginx answers 304)");
                    assertTrue(Files.readString(nginx.accessLog()).contains("\" 304 "), "nginx revalidated the index: " + Files.readString(nginx.accessLog()));
                }
            }
        }
    }
}
