package dev.helmsdk.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.SearchResult;
import dev.helmsdk.core.internal.source.IndexCache;
import dev.helmsdk.core.internal.source.RepositoryIndex;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classic chart repository index: the SDK's own fetch, parse and cache ({@link IndexCache},
 * {@link RepositoryIndex}) against helm-java's {@code repo add} / {@code repo update} /
 * {@code search repo}, on the same generated 10,000-version {@code index.yaml} served from a
 * loopback HTTP server (with {@code ETag} and 304 answers to {@code If-None-Match}). The two
 * sides run interleaved in one process, alternating which goes first. The program prints medians,
 * SDK/helm-java ratios and the approximate retained heap of a parsed index.
 *
 * <pre>IndexBench [ROUNDS [WARMUP]]   (default 11 measured rounds, at least 5, after 4 warm-up rounds; about a minute)</pre>
 *
 * <p>Launch it any way you like, for example
 * {@code mvn -q -B -pl examples exec:exec -Dexample=dev.helmsdk.examples.IndexBench -Dexample.args="11 4"},
 * or plain {@code java -cp ... dev.helmsdk.examples.IndexBench}. Helm's Go code takes its cache and
 * config locations ({@code HELM_CACHE_HOME}, {@code HELM_CONFIG_HOME}, {@code HELM_DATA_HOME}) only
 * from the environment the process started with, and {@code repo add} writes the downloaded index
 * there. So the program re-launches itself as a child JVM whose environment points all of them,
 * and {@code jna.tmpdir}, into a fresh temporary directory, which it deletes afterwards. The parent
 * checks that Helm's and JNA's home-directory locations ({@code ~/.cache/helm}, {@code ~/.config/helm},
 * {@code ~/.local/share/helm}, {@code ~/.cache/JNA}) were not created or modified.
 */
public final class IndexBench {

    private static final String CHILD_PROPERTY = "helmsdk.indexbench.work";
    private static final int CHARTS = 500;
    private static final int VERSIONS = 20;
    private static final String LOOKUP = "chart-0250";
    private static final int LOOKUP_BATCH = 1000;

    private static volatile Object sink;

    private IndexBench() {
    }

    private interface Op {
        Object run() throws Exception;
    }

    /**
     * Runs the benchmark in a child JVM with Helm's locations under a temporary directory.
     *
     * @param args {@code [ROUNDS [WARMUP]]}
     * @throws Exception if setting up or measuring fails
     */
    public static void main(String[] args) throws Exception {
        String work = System.getProperty(CHILD_PROPERTY);
        if (work == null) {
            System.exit(launchChild(args));
        }
        run(Path.of(work), args);
    }

    // ---------------------------------------------------------------- parent: isolated environment

    private static int launchChild(String[] args) throws Exception {
        Path work = Files.createTempDirectory("helm-sdk-index-bench");
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> watched = List.of(home.resolve(".cache/helm"), home.resolve(".config/helm"),
                home.resolve(".local/share/helm"), home.resolve(".cache/JNA"));
        Map<Path, String> before = snapshot(watched);
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("-D" + CHILD_PROPERTY + "=" + work);
            cmd.add("-Djna.tmpdir=" + work.resolve("jna"));
            cmd.add(IndexBench.class.getName());
            cmd.addAll(Arrays.asList(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            Map<String, String> env = pb.environment();
            env.put("HELM_CACHE_HOME", work.resolve("helm/cache").toString());
            env.put("HELM_CONFIG_HOME", work.resolve("helm/config").toString());
            env.put("HELM_DATA_HOME", work.resolve("helm/data").toString());
            env.put("KUBECACHEDIR", work.resolve("kube-cache").toString());
            // helm-java's repo add and search repo both use HELM_CACHE_HOME/repository and ignore
            // HELM_REPOSITORY_CACHE (measured); the repositories file is passed explicitly. Drop
            // inherited values so nothing suggests otherwise.
            env.remove("HELM_REPOSITORY_CACHE");
            env.remove("HELM_REPOSITORY_CONFIG");
            int rc = pb.start().waitFor();
            Map<Path, String> after = snapshot(watched);
            System.out.println(before.equals(after)
                    ? "Home directory: Helm/JNA locations untouched " + after
                    : "WARNING: home directory changed: before " + before + ", after " + after);
            return rc;
        } finally {
            QuickStart.deleteTree(work);
        }
    }

    private static Map<Path, String> snapshot(List<Path> paths) throws IOException {
        Map<Path, String> m = new LinkedHashMap<>();
        for (Path p : paths) {
            m.put(p, Files.exists(p) ? "mtime " + Files.getLastModifiedTime(p) : "absent");
        }
        return m;
    }

    // ---------------------------------------------------------------- child: the measurements

    private static void run(Path work, String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(5, Integer.parseInt(args[0])) : 11;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 4;
        byte[] index = LoopbackIndexRepository.generate(CHARTS, VERSIONS).getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(work.resolve("repo"));
        Files.write(work.resolve("repo/index.yaml"), index);

        LoopbackIndexRepository server = LoopbackIndexRepository.start(index);
        URI repoUrl = server.repoUrl();
        URI indexUrl = repoUrl.resolve("index.yaml");
        Path repoConfig = work.resolve("helm/config/repositories.yaml");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        IndexCache.Fetcher fetcher = (url, ifNoneMatch, ifModifiedSince) -> get(http, url, ifNoneMatch, ifModifiedSince);
        IndexCache warm = new IndexCache(Duration.ofMinutes(5), 16, Clock.systemUTC());
        IndexCache revalidating = new IndexCache(Duration.ZERO, 16, Clock.systemUTC());

        try {
            System.out.printf("IndexBench: index.yaml of %d charts x %d versions = %d entries, %.1f MB; %d rounds after %d warm-up rounds%n",
                    CHARTS, VERSIONS, CHARTS * VERSIONS, index.length / 1e6, rounds, warmup);
            // Prime both sides, and check they see the same thing. The first calls in this JVM are
            // reported apart: the SDK's Java code still runs interpreted, and helm-java loads its
            // native library.
            long firstHelm = time(() -> {
                Helm.repo().add().withRepositoryConfig(repoConfig).withName("bench").withUrl(repoUrl).call();
                return null;
            });
            List<SearchResult> found = Helm.search().repo().withRepositoryConfig(repoConfig).withKeyword(LOOKUP).call();
            long firstSdk = time(() -> warm.get(indexUrl, "", fetcher));
            int sdkFound = warm.get(indexUrl, "", fetcher).versions(LOOKUP).size();
            revalidating.get(indexUrl, "", fetcher);
            System.out.printf("First call in this JVM: SDK GET + parse %s; helm-java repo add %s (includes loading its native library)%n",
                    ms(firstSdk), ms(firstHelm));
            System.out.println("Lookup of '" + LOOKUP + "': helm search repo found " + found.size()
                    + " versions, SDK index " + sdkFound);
            if (found.isEmpty() || sdkFound != VERSIONS) {
                throw new IllegalStateException("the two sides do not see the same index; Helm's cache: "
                        + listing(work.resolve("helm")));
            }

            // name -> {sdk op, helm op}; a null helm op is SDK-only.
            Map<String, Op[]> ops = new LinkedHashMap<>();
            ops.put("cold: GET + parse  | repo add", new Op[] {
                () -> new IndexCache(Duration.ofMinutes(5), 16, Clock.systemUTC()).get(indexUrl, "", fetcher),
                () -> Helm.repo().add().withRepositoryConfig(repoConfig).withName("bench").withUrl(repoUrl).call()});
            ops.put("refresh: 304        | repo update", new Op[] {
                () -> revalidating.get(indexUrl, "", fetcher).versions(LOOKUP),
                () -> Helm.repo().update().withRepositoryConfig(repoConfig).call()});
            // One cached lookup is well under a microsecond, below what a single timed call after a
            // second of native work shows (cold CPU caches, a noisy shared machine): time a batch.
            ops.put("lookup: cached (*)  | search repo", new Op[] {
                () -> {
                    Object last = null;
                    for (int k = 0; k < LOOKUP_BATCH; k++) {
                        last = warm.get(indexUrl, "", fetcher).versions(LOOKUP);
                    }
                    return last;
                },
                () -> Helm.search().repo().withRepositoryConfig(repoConfig).withKeyword(LOOKUP).call()});
            ops.put("parse only (bytes)", new Op[] {
                () -> RepositoryIndex.parse(new ByteArrayInputStream(index)), null});

            Map<String, List<Long>> sdk = new LinkedHashMap<>();
            Map<String, List<Long>> helm = new LinkedHashMap<>();
            for (int i = -warmup; i < rounds; i++) {
                boolean sdkFirst = (i & 1) == 0;
                for (var e : ops.entrySet()) {
                    Op s = e.getValue()[0];
                    Op h = e.getValue()[1];
                    long a;
                    long b = 0;
                    if (sdkFirst || h == null) {
                        a = time(s);
                        b = h == null ? 0 : time(h);
                    } else {
                        b = time(h);
                        a = time(s);
                    }
                    if (i >= 0) {
                        sdk.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(a);
                        helm.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(b);
                    }
                }
            }

            System.out.printf("%n%-34s %14s %14s %12s%n", "operation (SDK | helm-java)", "SDK median", "helm median", "SDK/helm");
            for (String op : sdk.keySet()) {
                double a = median(sdk.get(op)) / (op.contains("(*)") ? LOOKUP_BATCH : 1);
                double b = median(helm.get(op));
                System.out.printf("%-34s %14s %14s %12s%n", op, ms(a), b == 0 ? "-" : ms(b),
                        b == 0 ? "-" : String.format(a / b < 0.01 ? "%.1e" : "%.2f", a / b));
            }
            System.out.printf("(*) SDK: per call, timed over a batch of %d calls per round%n", LOOKUP_BATCH);
            System.out.printf("%nRequests served: %d (%d conditional, %d answered 304); by client: %s%n",
                    server.requests(), server.conditional(), server.notModified(), server.agents());
            System.out.printf("Cache counters: warm hits=%d; TTL-0 cache revalidations=%d downloads=%d%n",
                    warm.hits(), revalidating.revalidations(), revalidating.downloads());
            System.out.println("Helm's files after the run: " + listing(work.resolve("helm")));

            memory(index);
        } finally {
            server.close();
        }
    }

    /** The SDK side's transport for the benchmark: JDK HttpClient, conditional when validators exist. */
    private static IndexCache.Fetched get(HttpClient http, URI url, String ifNoneMatch, String ifModifiedSince) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        if (ifNoneMatch != null) {
            rb.header("If-None-Match", ifNoneMatch);
        }
        if (ifModifiedSince != null) {
            rb.header("If-Modified-Since", ifModifiedSince);
        }
        try {
            HttpResponse<InputStream> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 304) {
                r.body().close();
                return new IndexCache.Fetched.NotModified();
            }
            if (r.statusCode() != 200) {
                r.body().close();
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + url);
            }
            return new IndexCache.Fetched.Ok(r.body(), r.headers().firstValue("ETag").orElse(null),
                    r.headers().firstValue("Last-Modified").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Approximate retained heap: used heap after GC, with and without a parsed index held. */
    private static void memory(byte[] index) throws Exception {
        LoaderOptions lo = new LoaderOptions();
        lo.setCodePointLimit(Integer.MAX_VALUE);
        ObjectMapper treeMapper = new ObjectMapper(YAMLFactory.builder().loaderOptions(lo).build());
        List<Long> parsed = new ArrayList<>();
        List<Long> tree = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long base = usedAfterGc();
            RepositoryIndex held = RepositoryIndex.parse(new ByteArrayInputStream(index));
            parsed.add(usedAfterGc() - base);
            java.lang.ref.Reference.reachabilityFence(held);
            base = usedAfterGc();
            JsonNode node = treeMapper.readTree(index);
            tree.add(usedAfterGc() - base);
            java.lang.ref.Reference.reachabilityFence(node);
        }
        System.out.printf("%nRetained heap (approximate: used heap after System.gc(), median of 3): parsed RepositoryIndex "
                        + "of %d entries %.2f MB; the same index as a Jackson JsonNode tree %.2f MB; index.yaml %.2f MB%n",
                CHARTS * VERSIONS, median(parsed) / 1e6, median(tree) / 1e6, index.length / 1e6);
    }

    private static long usedAfterGc() throws InterruptedException {
        var mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(30);
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return "(none)";
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return dir.relativize(p) + " " + Files.size(p) / 1024 + " KiB";
                } catch (IOException e) {
                    return dir.relativize(p).toString();
                }
            }).toList().toString();
        }
    }

    private static long time(Op op) throws Exception {
        long t = System.nanoTime();
        sink = op.run(); // keeps the result observable, so the JIT cannot drop the work
        return System.nanoTime() - t;
    }

    private static String ms(double nanos) {
        return nanos < 1e3 ? String.format("%.0f ns", nanos) : nanos < 1e5 ? String.format("%.1f us", nanos / 1e3) : String.format("%.2f ms", nanos / 1e6);
    }

    private static double median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2.0;
    }
}
