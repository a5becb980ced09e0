package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.auth.CredentialChain;
import dev.helmsdk.auth.DockerConfigCredentialProvider;
import dev.helmsdk.auth.EnvironmentCredentialProvider;
import dev.helmsdk.auth.HelmRegistryConfigCredentialProvider;
import dev.helmsdk.auth.KubernetesSecretCredentialProvider;
import dev.helmsdk.auth.MountedFilesCredentialProvider;
import dev.helmsdk.auth.SecretKeys;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.RecordedRequest;
import io.fabric8.kubernetes.client.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The null rule of the whole public API (api, core, auth, secrets, testkit), as the package Javadoc of
 * {@code dev.helmsdk.api} states it: a {@code null} argument throws {@link NullPointerException}
 * whose message is the parameter's name, before anything else happens, except where the Javadoc
 * says {@code null} is allowed ({@link #NULLABLE}).
 *
 * <p>Every public constructor, static method and instance method of every public type outside
 * {@code ..internal} packages is called once per reference parameter, with {@code null} there and
 * a valid value everywhere else. A new public type whose instance methods take references must get
 * an instance in {@link #instances()}, or this test fails naming it.
 */
@Tag("integration")
class NullArgumentRuleTest {

    /**
     * Parameters documented as accepting {@code null}, as {@code Type#method(parameter)} (constructors
     * are {@code Type#new(parameter)}). Passing {@code null} to these must not throw a NullPointerException.
     */
    static final Set<String> NULLABLE = Set.of(
            "RecordedCall#new(release)", "RecordedCall#new(namespace)", "RecordedCall#new(chart)",   // the fake's calls: documented
            "RecordedCall#new(error)", "FakeHelmManager#onNext(release)", "FakeHelmManager#onEvery(release)",   // null: any release
            "CallAssertions#withValue(expected)", "ChartRenderer.Output#new(notes)",
            "ChartRef#repository(version)", "ChartRef#oci(version)",                 // null: the latest version
            "ChartRef.Repository#new(version)", "ChartRef.Oci#new(version)",
            "ChartRequest#set(value)", "Values#set(value)", "Values.SetValue#new(value)", // null deletes the key, as in Helm
            "DeploySpec#new(chart)", "DeploySpec.Builder#chart(chart)",              // a request still being built
            "DeploySpec#new(verifyKeyring)", "DeploySpec.Builder#verifyKeyring(keyring)",   // null: no verification
            "DeploySpec#new(description)", "DeploySpec.Rendering#new(kubeVersion)",  // null: the default
            "Readiness#new(progress)",                                               // null: no listener
            "Finding#about(field)", "Finding#about(hint)", "Finding#general(hint)",  // null: the whole object; nothing to say
            "HealthCheck.Result#new(detail)", "HealthCheck.Result#fail(detail)",    // null: empty
            "ListSpec#new(namespace)",                                                // null: all namespaces
            "CredentialProvider#resolve(ctx)", "CredentialChain#require(ctx)",       // null: CredentialContext.empty()
            "ChartSources.Proxy#new(username)", "ChartSources.Proxy#new(password)",   // null: no proxy credentials
            "ChartLifecycle.Signing#new(passphraseFile)",                              // null: the key has no passphrase
            "FakeChartRepository#packageChart(version)",                             // null: the chart's own version
            "ReleaseStatus#fromHelm(text)",                                           // null: UNKNOWN
            "UpgradeCheck#new(current)",                                              // null: not installed
            "Retryability#ofKubernetesStatus(reason)",                                // null: the API server gave no reason
            "SecretContext#new(releaseName)", "SecretContext#new(namespace)",         // null: an operation without one
            // results the SDK builds from Helm's records, where Helm may have left text out (taken as empty):
            "Release#new(chartName)", "Release#new(chartVersion)", "Release#new(appVersion)",
            "Release#new(lastDeployed)", "Release#new(description)", "Release#new(notes)",
            "DryRunResult#new(chartName)", "DryRunResult#new(chartVersion)", "DryRunResult#new(notes)",
            "RenderedResource#new(apiVersion)", "RenderedResource#new(kind)", "RenderedResource#new(name)",
            "RenderedResource#new(namespace)", "RenderedResource#new(source)", "ReadinessProgress.Resource#new(detail)",
            "ValuesProvenance.Origin#new(value)");                                    // a null value, or a deleted key

    /** Types whose public methods only JUnit or ServiceLoader call, never user code. */
    static final Set<String> NOT_CALLED_BY_USERS = Set.of("dev.helmsdk.testkit.junit", "dev.helmsdk.testkit.contract");

    @TempDir
    static Path tmp;
    static EmbeddedKubernetes cluster;
    static FakeChartRepository repository;
    static FakeOciRegistry registry;

    @BeforeAll
    static void start() {
        cluster = EmbeddedKubernetes.start();
        repository = FakeChartRepository.builder().start();
        registry = FakeOciRegistry.builder().start();
    }

    @AfterAll
    static void stop() {
        registry.close();
        repository.close();
        cluster.close();
    }

    /** One instance of each public type whose instance methods take references. */
    static Map<Class<?>, Supplier<Object>> instances() {
        HelmEngine engine = (HelmEngine) Proxy.newProxyInstance(HelmEngine.class.getClassLoader(),
                new Class<?>[] {HelmEngine.class}, (p, m, a) -> {
                    throw new AssertionError("the engine must not be called with a null argument: " + m);
                });
        HelmManager helm = HelmManager.of(engine, "apps", Timeouts.ofDefaults());
        Map<Class<?>, Supplier<Object>> m = new LinkedHashMap<>();
        m.put(HelmManager.class, () -> helm);
        m.put(dev.helmsdk.api.InstallRequest.class, () -> helm.install("web"));
        m.put(dev.helmsdk.api.UpgradeRequest.class, () -> helm.upgrade("web"));
        m.put(dev.helmsdk.api.TemplateRequest.class, () -> helm.template("web"));
        m.put(dev.helmsdk.api.UninstallRequest.class, () -> helm.uninstall("web"));
        m.put(dev.helmsdk.api.RollbackRequest.class, () -> helm.rollback("web"));
        m.put(dev.helmsdk.api.DriftRequest.class, () -> helm.drift("web"));
        m.put(dev.helmsdk.api.StatusRequest.class, () -> helm.status("web"));
        m.put(dev.helmsdk.api.HistoryRequest.class, () -> helm.history("web"));
        m.put(dev.helmsdk.api.ValuesRequest.class, () -> helm.values("web"));
        m.put(dev.helmsdk.api.ManifestRequest.class, () -> helm.manifest("web"));
        m.put(dev.helmsdk.api.TestRequest.class, () -> helm.test("web"));
        m.put(dev.helmsdk.api.ExistsRequest.class, () -> helm.exists("web"));
        m.put(dev.helmsdk.api.NeedsUpgradeRequest.class, () -> helm.needsUpgrade("web"));
        m.put(dev.helmsdk.api.ListRequest.class, helm::list);
        m.put(dev.helmsdk.api.LintRequest.class, () -> helm.lint(ChartRef.directory(Path.of("chart"))));
        m.put(Values.class, () -> Values.empty().set("a", 1));
        m.put(dev.helmsdk.core.ReleaseCache.class, () -> dev.helmsdk.core.ReleaseCache.namespaces("apps"));
        m.put(Timeouts.class, Timeouts::ofDefaults);
        m.put(DeploySpec.Builder.class, () -> DeploySpec.of("web", "apps", Timeouts.ofDefaults()).toBuilder());
        m.put(dev.helmsdk.api.spi.RollbackSpec.Builder.class,
                () -> dev.helmsdk.api.spi.RollbackSpec.of("web", "apps", Timeouts.ofDefaults()).toBuilder());
        m.put(CredentialContext.class, CredentialContext::empty);
        m.put(dev.helmsdk.api.auth.RepositoryCredentials.class,
                () -> dev.helmsdk.api.auth.RepositoryCredentials.of(URI.create("https://charts.example.com"), "test",
                        new Credentials.BearerToken("t")));
        m.put(HelmSdk.Builder.class, HelmSdk::builder);
        m.put(ChartSources.Builder.class, ChartSources::builder);
        m.put(dev.helmsdk.core.ChartLifecycle.Builder.class, HelmSdk::chartLifecycle);
        m.put(dev.helmsdk.core.ChartLifecycle.class, () -> HelmSdk.chartLifecycle().workDirectory(tmp.resolve("lifecycle")).build());
        m.put(dev.helmsdk.core.SecretWatcher.Builder.class, () -> dev.helmsdk.core.SecretWatcher.builder(helm));
        m.put(dev.helmsdk.core.advisor.UpgradeAdvisor.Builder.class, () -> dev.helmsdk.core.advisor.UpgradeAdvisor.builder(helm));
        m.put(dev.helmsdk.core.advisor.UpgradeAdvisor.class, () -> dev.helmsdk.core.advisor.UpgradeAdvisor.builder(helm).build());
        m.put(dev.helmsdk.secrets.AwsResolver.class, () -> new dev.helmsdk.secrets.AwsResolver(Map.<String, String>of()::get));
        m.put(dev.helmsdk.secrets.AzureKeyVaultResolver.class, () -> new dev.helmsdk.secrets.AzureKeyVaultResolver(Map.<String, String>of()::get));
        m.put(dev.helmsdk.secrets.ExternalSecretResolver.class, dev.helmsdk.secrets.ExternalSecretResolver::new);
        m.put(dev.helmsdk.secrets.KubernetesResolver.class, dev.helmsdk.secrets.KubernetesResolver::new);
        m.put(dev.helmsdk.secrets.VaultResolver.class, () -> new dev.helmsdk.secrets.VaultResolver(Map.<String, String>of()::get));
        m.put(CredentialChain.Builder.class, CredentialChain::builder);
        m.put(CredentialChain.class, () -> CredentialChain.builder().discover(false).build());
        m.put(DockerConfigCredentialProvider.class, () -> new DockerConfigCredentialProvider(tmp.resolve("config.json")));
        m.put(HelmRegistryConfigCredentialProvider.class,
                () -> new HelmRegistryConfigCredentialProvider(tmp.resolve("registry.json")));
        m.put(EnvironmentCredentialProvider.class, () -> new EnvironmentCredentialProvider(Map.of()));
        m.put(KubernetesSecretCredentialProvider.class,
                () -> KubernetesSecretCredentialProvider.builder((ns, name) -> null).build());
        m.put(KubernetesSecretCredentialProvider.Builder.class,
                () -> KubernetesSecretCredentialProvider.builder((ns, name) -> null));
        m.put(MountedFilesCredentialProvider.class, () -> MountedFilesCredentialProvider.builder().build());
        m.put(MountedFilesCredentialProvider.Builder.class, MountedFilesCredentialProvider::builder);
        m.put(StaticCredentialProvider.class, () -> StaticCredentialProvider.builder().build());
        m.put(StaticCredentialProvider.Builder.class, StaticCredentialProvider::builder);
        m.put(EmbeddedKubernetes.class, () -> cluster);
        m.put(EmbeddedKubernetes.Builder.class, EmbeddedKubernetes::builder);
        m.put(KubernetesControlPlane.Builder.class, KubernetesControlPlane::builder);
        m.put(FakeChartRepository.class, () -> repository);
        m.put(FakeChartRepository.Builder.class, FakeChartRepository::builder);
        m.put(FakeOciRegistry.class, () -> registry);
        m.put(FakeOciRegistry.Builder.class, FakeOciRegistry::builder);
        m.put(dev.helmsdk.api.secrets.SecretContext.class, () -> sample(dev.helmsdk.api.secrets.SecretContext.class, null));
        m.put(dev.helmsdk.api.secrets.SecretReference.class, () -> sample(dev.helmsdk.api.secrets.SecretReference.class, null));
        m.put(dev.helmsdk.secrets.EnvSubstResolver.class, () -> new dev.helmsdk.secrets.EnvSubstResolver(Map.of("A", "a")::get));
        m.put(dev.helmsdk.secrets.FileResolver.class, () -> new dev.helmsdk.secrets.FileResolver(tmp));
        m.put(dev.helmsdk.testkit.spi.FakeSecretResolver.class, () -> dev.helmsdk.testkit.spi.FakeSecretResolver.of("a"));
        m.put(dev.helmsdk.testkit.spi.FakeCredentialProvider.class, dev.helmsdk.testkit.spi.FakeCredentialProvider::create);
        m.put(dev.helmsdk.testkit.fake.FakeHelmManager.class, dev.helmsdk.testkit.fake.FakeHelmManager::create);
        m.put(dev.helmsdk.testkit.fake.FakeHelmManager.Builder.class, dev.helmsdk.testkit.fake.FakeHelmManager::builder);
        m.put(dev.helmsdk.testkit.fake.FaultTrigger.class,
                () -> dev.helmsdk.testkit.fake.FakeHelmManager.create().onNext(Operation.INSTALL, "web"));
        m.put(dev.helmsdk.testkit.fake.CallAssertions.class, () -> dev.helmsdk.testkit.fake.FakeHelmManager.create().assertThat());
        m.put(dev.helmsdk.core.audit.JsonLinesAuditSink.class, () -> new dev.helmsdk.core.audit.JsonLinesAuditSink(tmp.resolve("audit.jsonl")));
        m.put(dev.helmsdk.core.audit.Slf4jAuditSink.class, dev.helmsdk.core.audit.Slf4jAuditSink::new);
        m.put(dev.helmsdk.testkit.spi.InMemoryAuditSink.class, dev.helmsdk.testkit.spi.InMemoryAuditSink::create);
        m.put(RecordedRequest.class, () -> new RecordedRequest("GET", "/api/v1/secrets", "", "application/json", Instant.EPOCH));
        return m;
    }

    /** A valid, harmless value of each parameter type the public API takes. */
    static Object sample(Class<?> type, Parameter parameter) {
        if (type == String.class || type == Object.class || type == CharSequence.class) {
            return "a";
        }
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        Map<Class<?>, Object> samples = new LinkedHashMap<>();
        samples.put(Path.class, tmp.resolve("sample"));
        samples.put(URI.class, URI.create("https://charts.example.com"));
        samples.put(Duration.class, Duration.ofSeconds(1));
        samples.put(Instant.class, Instant.EPOCH);
        samples.put(Clock.class, Clock.systemUTC());
        samples.put(ClassLoader.class, NullArgumentRuleTest.class.getClassLoader());
        samples.put(Class.class, String.class);
        samples.put(Map.class, Map.of());
        samples.put(List.class, List.of());
        samples.put(Set.class, Set.of());
        samples.put(Collection.class, List.of());
        samples.put(Values.class, Values.empty());
        samples.put(Timeouts.class, Timeouts.ofDefaults());
        samples.put(ChartRef.class, ChartRef.directory(Path.of("chart")));
        samples.put(Credentials.class, new Credentials.BearerToken("t"));
        samples.put(CredentialContext.class, CredentialContext.empty());
        samples.put(SecretKeys.class, SecretKeys.DEFAULT);
        samples.put(ChartSources.class, ChartSources.defaults());
        samples.put(Config.class, Config.empty());
        samples.put(MeterRegistry.class, new SimpleMeterRegistry());
        samples.put(Operation.class, Operation.INSTALL);
        samples.put(dev.helmsdk.api.HelmSdkException.class, new dev.helmsdk.api.HelmSdkException(Operation.INSTALL, "web", "sample", null));
        samples.put(DeploySpec.Upgrade.class, DeploySpec.Upgrade.ofDefaults());   // reuse and reset exclude each other
        samples.put(java.util.Optional.class, java.util.Optional.empty());
        samples.put(dev.helmsdk.api.secrets.SecretReference.class, dev.helmsdk.api.secrets.SecretReference.parse("ref+envsubst://$A"));
        samples.put(dev.helmsdk.api.secrets.SecretContext.class,
                new dev.helmsdk.api.secrets.SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(1)));
        samples.put(dev.helmsdk.api.ValuesProvenance.Source.class, new dev.helmsdk.api.ValuesProvenance.ChartDefault(""));
        Object known = samples.get(type);
        if (known != null) {
            return known;
        }
        if (type.isRecord()) {   // API records (results, specs): built from samples of their components
            Class<?>[] components = Stream.of(type.getRecordComponents()).map(c -> c.getType()).toArray(Class<?>[]::new);
            try {
                Constructor<?> c = type.getDeclaredConstructor(components);
                Object[] args = new Object[components.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = components[i].isPrimitive() ? primitive(components[i]) : sample(components[i], c.getParameters()[i]);
                }
                return c.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot build a sample " + type.getName() + "; add one to sample()", e);
            }
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
                if (m.getName().equals("toString")) {
                    return "sample " + type.getSimpleName();
                }
                Class<?> r = m.getReturnType();
                return r == boolean.class ? false : r == int.class ? 0 : r == long.class ? 0L : null;
            });
        }
        throw new AssertionError("no sample value for " + type.getName() + " (parameter " + parameter
                + "); add one to sample()");
    }

    static Object primitive(Class<?> type) {
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == double.class) {
            return 1.0;
        }
        throw new AssertionError("no sample for " + type);
    }

    @Test
    void everyPublicMethodRejectsNullByTheParametersName() throws Exception {
        Map<Class<?>, Supplier<Object>> instances = instances();
        List<String> violations = new ArrayList<>();
        Set<String> missingInstances = new TreeSet<>();
        Set<String> nullableSeen = new TreeSet<>();
        int calls = 0;
        List<Class<?>> types = publicTypes();
        for (Class<?> type : types) {
            List<Executable> targets = new ArrayList<>();
            if (!Modifier.isAbstract(type.getModifiers()) && !type.isEnum()) {
                targets.addAll(List.of(type.getConstructors()));
            }
            for (Method m : type.getMethods()) {
                if (!m.isSynthetic() && !m.isBridge() && apiType(m.getDeclaringClass())
                        && !(type.isEnum() && m.getName().equals("valueOf")) && !m.getName().equals("equals")
                        && (Modifier.isStatic(m.getModifiers()) ? m.getDeclaringClass() == type : instantiable(type))) {
                    targets.add(m);
                }
            }
            for (Executable target : targets) {
                Parameter[] params = target.getParameters();
                for (int i = 0; i < params.length; i++) {
                    if (params[i].getType().isPrimitive()) {
                        continue;
                    }
                    assertTrue(params[i].isNamePresent(), "compile with -parameters: " + target);
                    String key = key(type, target, params[i]);
                    Object receiver = null;
                    if (target instanceof Method m && !Modifier.isStatic(m.getModifiers())) {
                        Supplier<Object> s = instanceFor(instances, type);
                        if (s == null) {
                            missingInstances.add(type.getName());
                            continue;
                        }
                        receiver = s.get();
                    }
                    Object[] args = new Object[params.length];
                    for (int j = 0; j < params.length; j++) {
                        Class<?> t = params[j].getType();
                        args[j] = j == i ? null : t.isPrimitive() ? primitive(t) : sample(t, params[j]);
                    }
                    calls++;
                    Throwable thrown = call(target, receiver, args);
                    String documented = nullable(type, target, params[i]);
                    if (documented != null) {
                        nullableSeen.add(documented);
                        if (thrown instanceof NullPointerException) {
                            violations.add(key + " is documented to accept null but threw " + thrown);
                        }
                    } else if (!(thrown instanceof NullPointerException) || !params[i].getName().equals(thrown.getMessage())) {
                        violations.add(key + ": expected NullPointerException(\"" + params[i].getName() + "\"), got "
                                + (thrown == null ? "no exception" : thrown));
                    }
                }
            }
        }
        assertTrue(missingInstances.isEmpty() && violations.isEmpty(), () -> "add an instance to instances() for "
                + missingInstances + "; " + violations.size() + " calls break the rule:\n  " + String.join("\n  ", violations));
        Set<String> unused = new TreeSet<>(NULLABLE);
        unused.removeAll(nullableSeen);
        assertEquals(Set.of(), unused, "NULLABLE names parameters that do not exist");
        assertTrue(calls > 200, "only " + calls + " calls: were the public types found? " + types.size());
        System.out.println("null rule: " + calls + " calls over " + types.size() + " public types, "
                + nullableSeen.size() + " documented nullable parameters");
    }

    private static Supplier<Object> instanceFor(Map<Class<?>, Supplier<Object>> instances, Class<?> type) {
        Supplier<Object> s = instances.get(type);
        return s == null && type.isRecord() ? () -> sample(type, null) : s;
    }

    /** Classes of which user code holds instances: concrete classes, and HelmManager (implemented internally). */
    private static boolean instantiable(Class<?> type) {
        return type == HelmManager.class || (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()));
    }

    private static Throwable call(Executable target, Object receiver, Object[] args) throws Exception {
        try {
            if (target instanceof Constructor<?> c) {
                c.newInstance(args);
            } else {
                Object r = ((Method) target).invoke(receiver, args);
                if (r instanceof AutoCloseable closeable && r != receiver && !(r instanceof HelmManager)) {
                    closeable.close();
                }
            }
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    /** The {@link #NULLABLE} entry of the declaration (in the type or an API supertype), or null. */
    private static String nullable(Class<?> type, Executable target, Parameter p) {
        String name = target instanceof Constructor ? "new" : target.getName();
        List<Class<?>> owners = new ArrayList<>();
        owners.add(type);
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            owners.add(c);
            owners.addAll(List.of(c.getInterfaces()));
        }
        return owners.stream().map(o -> simpleName(o) + "#" + name + "(" + p.getName() + ")")
                .filter(NULLABLE::contains).findFirst().orElse(null);
    }

    private static String key(Class<?> type, Executable target, Parameter p) {
        return simpleName(type) + "#" + (target instanceof Constructor ? "new" : target.getName()) + "(" + p.getName() + ")";
    }

    private static String simpleName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : simpleName(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    private static boolean apiType(Class<?> c) {
        return c.getName().startsWith("dev.helmsdk.") && !c.getName().contains(".internal.");
    }

    /** Public types outside {@code ..internal}, exceptions aside, of api, core, auth, secrets and testkit. */
    static List<Class<?>> publicTypes() throws IOException, URISyntaxException {
        Set<String> names = new TreeSet<>();
        for (Class<?> anchor : List.of(HelmManager.class, HelmSdk.class, CredentialChain.class, EmbeddedKubernetes.class,
                dev.helmsdk.secrets.EnvSubstResolver.class)) {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) {
                collect(root, names);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root)) {
                    collect(jar.getPath("/"), names);
                }
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, NullArgumentRuleTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            if (publicAll(c) && !c.isAnonymousClass() && !c.isSynthetic() && !Throwable.class.isAssignableFrom(c)
                    && !c.isAnnotation() && NOT_CALLED_BY_USERS.stream().noneMatch(p -> c.getPackageName().equals(p))) {
                types.add(c);
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return types;
    }

    private static boolean publicAll(Class<?> c) {
        for (Class<?> x = c; x != null; x = x.getEnclosingClass()) {
            if (!Modifier.isPublic(x.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static void collect(Path root, Set<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.map(root::relativize).map(Path::toString)
                    .filter(f -> f.endsWith(".class") && f.startsWith("dev/helmsdk/") && !f.contains("/internal/")
                            && !f.endsWith("package-info.class") && !f.matches(".*\\$\\d+.*"))
                    .forEach(f -> names.add(f.substring(0, f.length() - ".class".length()).replace('/', '.')));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
