package dev.helmsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import dev.helmsdk.auth.testproviders.ServiceLoadedTestProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialChainTest {

    static final String PW = "S3CRET-canary-pw";
    static final String TOKEN = "S3CRET-canary-token";
    static final URI REPO = URI.create("oci://registry.example.com/charts");
    static final CredentialContext CTX = CredentialContext.of(Operation.INSTALL);

    /** A provider with a fixed answer, counting calls. */
    static class Fixed implements CredentialProvider {
        final String name;
        final int priority;
        final Credentials answer;
        final AtomicInteger calls = new AtomicInteger();

        Fixed(String name, int priority, Credentials answer) {
            this.name = name;
            this.priority = priority;
            this.answer = answer;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
            calls.incrementAndGet();
            return Optional.ofNullable(answer).map(a -> RepositoryCredentials.of(repository, name, a));
        }

        @Override
        public String explainMiss(URI repository) {
            return name + " has nothing";
        }
    }

    static final class OtherFixed extends Fixed {
        OtherFixed(String name, int priority, Credentials answer) {
            super(name, priority, answer);
        }
    }

    @Test
    void highestPriorityFirstAndFirstWins() {
        Fixed low = new Fixed("low", 10, new Credentials.BasicAuth("low", PW));
        Fixed high = new Fixed("high", 300, null);
        Fixed mid = new Fixed("mid", 200, new Credentials.BasicAuth("mid", PW));
        CredentialChain chain = CredentialChain.builder().discover(false).add(low).add(high).add(mid).build();
        assertEquals(List.of(high, mid, low), chain.providers());
        RepositoryCredentials rc = chain.require(REPO, CTX);
        assertEquals("mid", rc.source());
        assertEquals(1, high.calls.get());
        assertEquals(0, low.calls.get(), "providers after the winner are not asked");
    }

    @Test
    void shippedProvidersFollowTheDocumentedOrder(@TempDir Path dir) {
        CredentialChain chain = CredentialChain.builder().discover(false)
                .add(MountedFilesCredentialProvider.fromBaseDirectory(dir))
                .add(new DockerConfigCredentialProvider(dir.resolve("d.json")))
                .add(new HelmRegistryConfigCredentialProvider(dir.resolve("h.json")))
                .add(new EnvironmentCredentialProvider(Map.of()))
                .add(KubernetesSecretCredentialProvider.builder((ns, n) -> null).build())
                .add(StaticCredentialProvider.builder().build())
                .build();
        assertEquals(List.of("explicit", "kubernetes-secret", "env", "helm-registry-config", "docker-config", "mounted-files"),
                chain.providers().stream().map(CredentialProvider::name).toList());
    }

    @Test
    void tiesAreOrderedByClassName() {
        Fixed b = new OtherFixed("b", 100, null);
        Fixed a = new Fixed("a", 100, null);
        CredentialChain chain = CredentialChain.builder().discover(false).add(b).add(a).build();
        // CredentialChainTest$Fixed < CredentialChainTest$OtherFixed
        assertEquals(List.of(a, b), chain.providers());
    }

    @Test
    void allFailedMessageListsEveryReasonAndNoSecret(@TempDir Path dir) throws Exception {
        Path docker = dir.resolve("config.json");
        Files.writeString(docker, "{\"auths\":{\"other.example.com\":{\"username\":\"u\",\"password\":\"" + PW + "\"}}}");
        CredentialProvider throwing = new Fixed("throws", 250, null) {
            @Override
            public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
                throw new IllegalStateException("backend unavailable");
            }
        };
        CredentialChain chain = CredentialChain.builder().discover(false)
                .add(StaticCredentialProvider.of(URI.create("oci://other.example.com"), new Credentials.BasicAuth("u", PW)))
                .add(new EnvironmentCredentialProvider(Map.of("HELM_SDK_REPO_OTHER_EXAMPLE_COM_TOKEN", TOKEN)))
                .add(new DockerConfigCredentialProvider(docker))
                .add(throwing)
                .build();
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class, () -> chain.require(REPO, CTX));
        String m = e.getMessage();
        assertTrue(m.contains("no credentials found for repository " + REPO), m);
        assertTrue(m.contains("explicit: no explicit credentials for " + REPO), m);
        assertTrue(m.contains("throws: failed: backend unavailable"), m);
        assertTrue(m.contains("env: no HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_* variables"), m);
        assertTrue(m.contains("docker-config: " + docker + " has no entry for registry.example.com"), m);
        assertFalse(m.contains(PW), m);
        assertFalse(m.contains(TOKEN), m);
        assertEquals(List.of("explicit", "throws", "env", "docker-config"), List.copyOf(e.reasons().keySet()));
        assertTrue(chain.resolve(REPO, CTX).isEmpty());
    }

    @Test
    void aThrowingProviderDoesNotStopTheOthers() {
        CredentialProvider throwing = new Fixed("throws", 250, null) {
            @Override
            public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
                throw new RuntimeException();
            }
        };
        CredentialChain chain = CredentialChain.builder().discover(false)
                .add(throwing).add(new Fixed("ok", 1, new Credentials.BearerToken(TOKEN))).build();
        assertEquals("ok", chain.require(REPO, CTX).source());
    }

    @Test
    void serviceLoaderDiscoversProvidersAndSkipsTheBrokenOne() {
        CredentialChain chain = CredentialChain.builder().build();
        List<String> names = chain.providers().stream().map(CredentialProvider::name).toList();
        assertTrue(names.containsAll(List.of("service-loaded-test", "env", "helm-registry-config", "docker-config", "mounted-files")), names.toString());
        assertFalse(names.contains("broken"));
        assertEquals("service-loaded-test", names.get(0));
        assertTrue(chain.providers().get(0) instanceof ServiceLoadedTestProvider);
        assertEquals(1, chain.problems().size(), chain.problems().toString());
        String problem = chain.problems().get(0);
        assertTrue(problem.contains("dev.helmsdk.auth.testproviders.BrokenTestProvider"), problem);
        assertTrue(problem.contains("BrokenTestProvider refuses to start"), problem);
        assertEquals(new Credentials.BearerToken("sl-token"),
                chain.require(URI.create("https://sl.example.test/charts"), CTX).methods().get(0));
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class,
                () -> chain.require(URI.create("https://nowhere.invalid/charts"), CTX));
        assertTrue(e.getMessage().contains("BrokenTestProvider refuses to start"), e.getMessage());
        assertTrue(e.getMessage().contains("service-loaded-test: only knows sl.example.test"), e.getMessage());
    }

    @Test
    void addedInstanceReplacesTheDiscoveredOneOfTheSameClass() {
        EnvironmentCredentialProvider env = new EnvironmentCredentialProvider(Map.of("HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_TOKEN", TOKEN));
        CredentialChain chain = CredentialChain.builder().add(env).build();
        assertEquals(1, chain.providers().stream().filter(p -> p instanceof EnvironmentCredentialProvider).count());
        assertTrue(chain.providers().contains(env));
    }

    @Test
    void noCachingByDefaultSoRotationIsSeen() {
        Fixed p = new Fixed("p", 1, new Credentials.BearerToken(TOKEN));
        CredentialChain chain = CredentialChain.builder().discover(false).add(p).build();
        chain.require(REPO, CTX);
        chain.require(REPO, CTX);
        assertEquals(2, p.calls.get());
        assertEquals(Duration.ZERO, chain.cacheTtl());
    }

    @Test
    void cacheWithTtlExpires() {
        Fixed p = new Fixed("p", 1, new Credentials.BearerToken(TOKEN));
        MutableClock clock = new MutableClock();
        CredentialChain chain = CredentialChain.builder().discover(false).add(p).cacheTtl(Duration.ofSeconds(30)).clock(clock).build();
        chain.require(REPO, CTX);
        clock.now = clock.now.plusSeconds(29);
        chain.require(REPO, CTX);
        assertEquals(1, p.calls.get());
        clock.now = clock.now.plusSeconds(2);
        chain.require(REPO, CTX);
        assertEquals(2, p.calls.get());
        chain.invalidate();
        chain.require(REPO, CTX);
        assertEquals(3, p.calls.get());
    }

    @Test
    void emptyChainSaysSo() {
        CredentialChain chain = CredentialChain.builder().discover(false).build();
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class, () -> chain.require(REPO, CTX));
        assertTrue(e.getMessage().contains("no credential providers are configured"), e.getMessage());
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aChainIsAProviderThatExplainsEveryMiss() {
        CredentialChain chain = CredentialChain.builder().discover(false)
                .add(StaticCredentialProvider.of(URI.create("https://other.example.com"), new Credentials.BearerToken(TOKEN)))
                .add(new EnvironmentCredentialProvider(Map.of())).build();
        CredentialProvider asProvider = chain;
        assertTrue(asProvider.resolve(REPO, CTX).isEmpty());
        String why = asProvider.explainMiss(REPO);
        assertTrue(why.contains("explicit:") && why.contains("env:"), why);
        assertFalse(why.contains(TOKEN), why);
        assertEquals("chain", asProvider.name());
        assertEquals(CredentialProvider.PRIORITY_EXPLICIT, asProvider.priority());
        assertEquals(TOKEN, ((Credentials.BearerToken) chain.resolve(URI.create("https://other.example.com/x"), CTX)
                .orElseThrow().methods().get(0)).token());
    }

    @Test
    void onceTheOperationsTimeRanOutNoProviderIsAsked() {
        Fixed fixed = new Fixed("fixed", 100, new Credentials.BearerToken(TOKEN));
        CredentialChain chain = CredentialChain.builder().discover(false).add(fixed).build();
        CredentialContext spent = CTX.withTimeLeft(() -> Duration.ZERO);
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class, () -> chain.require(REPO, spent));
        assertEquals(0, fixed.calls.get());
        assertTrue(e.getMessage().contains("fixed: not asked: the operation's time ran out"), e.getMessage());
        assertEquals(TOKEN, ((Credentials.BearerToken) chain.require(REPO, CTX.withTimeLeft(() -> Duration.ofSeconds(5)))
                .methods().get(0)).token(), "with time left it is asked");
    }

    /** A repository's 401 asks the chain why it had nothing: the answer is that miss's, not a second round of questions. */
    @Test
    void explainingAMissDoesNotAskTheProvidersAgain() {
        Fixed none = new Fixed("none", 100, null);
        CredentialProvider chain = CredentialChain.builder().discover(false).add(none).build();
        assertTrue(chain.resolve(REPO, CTX).isEmpty());
        assertEquals(1, none.calls.get());
        assertTrue(chain.explainMiss(REPO).contains("none: none has nothing"), chain.explainMiss(REPO));
        assertEquals(1, none.calls.get(), "explainMiss asked the providers again");
    }
}
