package dev.helmsdk.core.advisor;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.AdvisorAccess;
import dev.helmsdk.core.internal.KubernetesNames;
import dev.helmsdk.core.internal.advisor.AdvisedUpgrades;
import dev.helmsdk.core.internal.advisor.AdvisorMeters;
import dev.helmsdk.core.internal.advisor.Advising;
import dev.helmsdk.core.internal.source.UpgradeChoice;
import dev.helmsdk.core.internal.source.VersionLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds newer chart versions for deployed releases, in their classic repositories (the index, revalidated
 * with its ETag) and OCI registries (the tag list), with the credentials of the manager's providers:
 * one request per repository or registry repository per run, however many releases use it.
 *
 * <pre>{@code
 * HelmManager helm = HelmSdk.builder().build();
 * try (dev.helmsdk.core.advisor.UpgradeAdvisor advisor = dev.helmsdk.core.advisor.UpgradeAdvisor.builder(helm)
 *         .allNamespaces()
 *         .chart("podinfo", ChartRef.repository("https://stefanprodan.github.io/podinfo", "podinfo", null))
 *         .chart("redis", ChartRef.oci("oci://registry-1.docker.io/bitnamicharts/redis", "<20"))
 *         .policy(dev.helmsdk.core.advisor.UpgradePolicy.MINOR)
 *         .build()) {
 *     dev.helmsdk.core.advisor.AdvisorReport report = advisor.check();
 *     report.upgradable().forEach(a -> System.out.println(a.release() + ": " + a.currentVersion() + " -> " + a.newestAllowed()));
 * }
 * }</pre>
 *
 * <p>Helm's release records keep a chart's name and version, not where it came from, so the sources are
 * given by chart name. A source's version, when given, is a Helm constraint every advised version must
 * match too ({@code "<20"} above). Configuration errors (a local source, a bad OCI reference or constraint,
 * a bad selector or namespace) are {@link InvalidRequestException}s from {@link Builder#build()}, before
 * any request. A source that is down or refuses the credentials is reported, with why, for the releases
 * that use it ({@link ReleaseAdvice.Status#SOURCE_FAILED}); the others are advised as usual.
 *
 * <p>Immutable and thread-safe; {@link #close()} releases its HTTP client. It does not close the manager.
 */
public final class UpgradeAdvisor implements AutoCloseable {

    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Set<String> HELM_LABELS = Set.of("name", "owner", "status", "version");

    private final HelmManager helm;
    private final String namespace;
    private final Map<String, String> selector;
    private final Map<String, ChartRef> sources;
    private final UpgradePolicy policy;
    private final boolean preReleases;
    private final VersionLookup lookup;
    private final AdvisorMeters meters;
    private final KubernetesClient client;
    private volatile boolean closed;

    private UpgradeAdvisor(Builder b, VersionLookup lookup) {
        this.helm = b.helm;
        this.namespace = b.namespace;
        this.selector = Map.copyOf(b.selector);
        this.sources = Map.copyOf(b.sources);
        this.policy = b.policy;
        this.preReleases = b.preReleases;
        this.lookup = lookup;
        MeterRegistry registry = b.meterRegistry != null ? b.meterRegistry : AdvisorAccess.meterRegistry(helm).orElse(null);
        this.meters = registry == null ? null : new AdvisorMeters(registry, b.meterReleaseNames);
        this.client = AdvisorAccess.client(helm).orElse(null);
    }

    /**
     * An advisor over the releases of {@code helm}. With a manager built by {@code HelmSdk} it uses the
     * manager's chart sources (credentials, TLS, proxy) and meter registry unless the builder sets others.
     *
     * @param helm the manager whose releases are advised (and, with {@link #upgrade}, upgraded)
     * @return a builder
     */
    public static Builder builder(HelmManager helm) {
        return new Builder(Objects.requireNonNull(helm, "helm"));
    }

    /**
     * One run: lists the releases (one read), asks each source used once, and advises every release.
     * Sets the meters, when there is a registry.
     *
     * @return the report, releases sorted by namespace then name
     * @throws HelmSdkException when the releases cannot be listed; a source's failure is reported, not thrown
     * @throws InvalidRequestException when the advisor is closed
     */
    public AdvisorReport check() {
        open();
        Instant at = Instant.now();
        List<Release> releases = releases();
        Map<String, ChartRef> needed = new LinkedHashMap<>();
        for (Release r : releases) {
            ChartRef source = sources.get(r.chartName());
            if (source != null) {
                needed.putIfAbsent(VersionLookup.requestKey(source), source);
            }
        }
        Map<String, Object> listings = Advising.lookUp(lookup, needed, this::context);
        List<ReleaseAdvice> advice = new ArrayList<>();
        for (Release r : releases) {
            ChartRef source = sources.get(r.chartName());
            advice.add(source == null ? Advising.noSource(r)
                    : Advising.advise(r, source, listings.get(VersionLookup.requestKey(source)), policy, preReleases));
        }
        advice.sort(Comparator.comparing(ReleaseAdvice::namespace).thenComparing(ReleaseAdvice::release));
        AdvisorReport report = new AdvisorReport(at, policy, preReleases, advice);
        if (meters != null) {
            meters.record(report);
        }
        return report;
    }

    /**
     * Opens the upgrades {@code report} advises ({@link AdvisorReport#upgradable()}), one release at a time in
     * report order: each to its {@link ReleaseAdvice#newestAllowed()} from its source, with the values it has
     * ({@code reuseValues}), after {@code needsUpgrade} shows there is something to change. Halts on the first
     * failure, which the result names with the releases not tried.
     *
     * @param report a report of this advisor (or of one with the same sources)
     * @return what was upgraded, what failed and what was not tried
     * @throws InvalidRequestException before any upgrade, when the report advises a release this advisor cannot upgrade:
     *                                 its chart mapped here to no source or another one than the report's, no version,
     *                                 a bad release or namespace name; or when the advisor is closed
     */
    public UpgradeRun upgrade(AdvisorReport report) {
        Objects.requireNonNull(report, "report");
        open();
        return AdvisedUpgrades.run(helm, sources, report);
    }

    /** Releases its HTTP client and removes its gauges. Idempotent; {@link #check()} and {@link #upgrade} refuse afterwards. */
    @Override
    public void close() {
        closed = true;
        lookup.close();
        if (meters != null) {
            meters.close();
        }
    }

    /** A closed advisor has no HTTP client and no gauges left: say so rather than fail on each source. */
    private void open() {
        if (closed) {
            throw new InvalidRequestException(Operation.NEEDS_UPGRADE, null, "this upgrade advisor is closed; build a new one"
                    + " (keep one open for periodic checks)");
        }
    }

    private List<Release> releases() {
        if (!selector.isEmpty()) {
            // The builder made sure the manager can (HelmSdk built it).
            return AdvisorAccess.list(helm, new ListSpec(namespace, Set.of(), helm.timeouts()), selector).orElseThrow();
        }
        return namespace == null ? helm.list().allNamespaces().run() : helm.list().inNamespace(namespace).run();
    }

    private CredentialContext context() {
        return client == null ? CredentialContext.of(Operation.NEEDS_UPGRADE)
                : CredentialContext.of(Operation.NEEDS_UPGRADE, Map.of(KubernetesClient.class, client));
    }

    /**
     * Collects an advisor's settings; {@link #build()} checks them all, before any request. Not thread-safe;
     * the advisor it builds is immutable.
     */
    public static final class Builder {
        private final HelmManager helm;
        private String namespace;
        private final Map<String, String> selector = new TreeMap<>();
        private final Map<String, ChartRef> sources = new LinkedHashMap<>();
        private UpgradePolicy policy = UpgradePolicy.MINOR;
        private boolean preReleases;
        private ChartSources chartSources;
        private MeterRegistry meterRegistry;
        private boolean meterReleaseNames;

        private Builder(HelmManager helm) {
            this.helm = helm;
            this.namespace = helm.defaultNamespace();
        }

        /** Advises the releases of one namespace (the default: the manager's default namespace). */
        public Builder inNamespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** Advises the releases of every namespace. */
        public Builder allNamespaces() {
            this.namespace = null;
            return this;
        }

        /**
         * Advises only the releases whose records carry these labels ({@code team=payments,tier=web}, as Helm's
         * {@code list --selector} with equality terms; Helm 3.13+ writes {@code install --labels} there). Needs a
         * manager built by {@code HelmSdk}. Each call adds to the earlier ones.
         *
         * @param selector comma-separated {@code key=value} terms
         */
        public Builder selector(String selector) {
            Objects.requireNonNull(selector, "selector");
            for (String term : selector.split(",")) {
                int eq = term.indexOf('=');
                String key = eq < 0 ? term.strip() : term.substring(0, eq).strip();
                String value = eq < 0 ? null : term.substring(eq + 1).replaceFirst("^=", "").strip();
                if (value == null || !LABEL_KEY.matcher(key).matches() || key.length() > 316 || !LABEL_VALUE.matcher(value).matches()
                        || value.length() > 63 || term.contains("!")) {
                    throw new InvalidRequestException(Operation.CONFIGURE, null, "label selector term '" + term.strip() + "' of '" + selector
                            + "' is not key=value with a label key and value (e.g. team=payments); only equality terms are supported");
                }
                if (HELM_LABELS.contains(key)) {
                    throw new InvalidRequestException(Operation.CONFIGURE, null, "label selector term '" + term.strip()
                            + "' uses Helm's own record label '" + key + "'; select releases by labels of your own ("
                            + String.join(", ", new java.util.TreeSet<>(HELM_LABELS)) + " are Helm's)");
                }
                this.selector.put(key, value);
            }
            return this;
        }

        /**
         * Where releases of the chart named {@code chartName} (as their records name it) find newer versions: a
         * classic repository ({@code ChartRef.repository(url, name, constraint)}) or an OCI reference without tag
         * ({@code ChartRef.oci("oci://host/path/chart", constraint)}). The reference's version, when not
         * {@code null}, is a Helm constraint every advised version must also match. A later call for the same
         * chart replaces the earlier.
         */
        public Builder chart(String chartName, ChartRef source) {
            Objects.requireNonNull(chartName, "chartName");
            Objects.requireNonNull(source, "source");
            if (chartName.isBlank()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "chart name must not be blank; give the name release records carry, e.g. podinfo");
            }
            sources.put(chartName.strip(), source);
            return this;
        }

        /** How far an advised upgrade may go (default {@link UpgradePolicy#MINOR}). */
        public Builder policy(UpgradePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Whether pre-release versions ({@code 2.0.0-rc.1}) count, as newest and as upgrades (default no). */
        public Builder preReleases(boolean include) {
            this.preReleases = include;
            return this;
        }

        /** The sources' credentials, TLS and proxy settings (default: the manager's, else {@link ChartSources#defaults()}). */
        public Builder chartSources(ChartSources sources) {
            this.chartSources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /** Where the advisor's gauges go (default: the manager's registry, if it has one). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whether to register {@code helm.sdk.advisor.versions.behind}, one gauge per release named by it (default no). */
        public Builder meterReleaseNames(boolean enabled) {
            this.meterReleaseNames = enabled;
            return this;
        }

        /**
         * Checks the settings and builds the advisor; nothing is requested yet.
         *
         * @throws InvalidRequestException naming the bad namespace, source, constraint or selector and what would be valid
         */
        public UpgradeAdvisor build() {
            if (namespace != null && !KubernetesNames.isNamespace(namespace)) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "namespace '" + namespace
                        + "' is not a valid namespace name (" + KubernetesNames.NAMESPACE_RULE + ")");
            }
            if (!selector.isEmpty() && AdvisorAccess.client(helm).isEmpty()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "a label selector needs a manager built by HelmSdk, which reads the release records' labels; this one is " + helm);
            }
            ChartSources s = chartSources != null ? chartSources : AdvisorAccess.chartSources(helm).orElseGet(ChartSources::defaults);
            VersionLookup lookup = new VersionLookup(s, Optional::empty);
            try {
                sources.forEach((chart, source) -> {
                    lookup.check(Operation.CONFIGURE, source);
                    String constraint = Advising.constraint(source);
                    if (constraint != null) {
                        UpgradeChoice.constraintError(constraint).ifPresent(why -> {
                            throw new InvalidRequestException(Operation.CONFIGURE, null, "chart '" + chart + "': " + why
                                    + "; give a constraint such as '<2', '~1.4' or '>=1.2 <3', or null for none");
                        });
                    }
                });
                return new UpgradeAdvisor(this, lookup);
            } catch (RuntimeException e) {
                lookup.close();
                throw e;
            }
        }
    }
}
