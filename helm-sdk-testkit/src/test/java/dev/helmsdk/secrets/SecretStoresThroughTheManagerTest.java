package dev.helmsdk.secrets;

import com.azure.core.credential.AccessToken;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.it.secrets.PodinfoEnv;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * podinfo deployed through a whole manager, with the defaults, with a password from Vault and one
 * from Key Vault: both served by FAKES of their documented endpoints ({@link FakeVault},
 * {@link FakeKeyVault}), since neither store can be had on these machines. The values are checked
 * in the objects in the cluster; a rotation reaches the cluster with the next upgrade; a store
 * stopped mid-test fails the upgrade before anything changes, and the deployed release stays as it
 * was; and a canary scan over everything printed (logs at the level the tests run with), thrown
 * (stack traces included) and returned finds none of the values.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class SecretStoresThroughTheManagerTest {

    private static final String NS = "stores";
    private static final String TOKEN = "vault-token-" + UUID.randomUUID();

    @Test
    void podinfoGetsEachStoresSecretsAndNothingElseDoes(EmbeddedKubernetes cluster) throws Exception {
        String vaultPassword = "vault-pw-" + UUID.randomUUID();
        String rotated = "vault-rotated-" + UUID.randomUUID();
        String azurePassword = "azure-pw-" + UUID.randomUUID();
        String bearer = "azure-bearer-" + UUID.randomUUID();
        String vaultName = "kv" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder seen = new StringBuilder();
        PrintStream original = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (FakeVault vault = FakeVault.http().kv("secret", 2).token(TOKEN, new FakeVault.TokenInfo(true, 0, false))
                .put("secret/app", Map.of("password", vaultPassword, "user", "app"));
             FakeKeyVault keyVault = new FakeKeyVault(bearer)) {
            keyVault.put("db", "{\"password\": \"" + azurePassword + "\"}");
            Map<String, String> env = new HashMap<>(Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", TOKEN, "HOME", "/nonexistent"));
            KeyVaultClients clients = new KeyVaultClients(new AzureKeyVaultFakeTest.CountingCredential(
                    r -> Mono.just(new AccessToken(bearer, OffsetDateTime.now().plusHours(1)))),
                    AzureKeyVaultFakeTest.transportTo(keyVault.address(), keyVault.certificate()));
            List<SecretResolver> resolvers = List.of(new VaultResolver(env::get), new AzureKeyVaultResolver(() -> clients));
            HelmSdk.Builder builder = HelmSdk.builder().kubernetesClient(cluster.client());
            resolvers.forEach(builder::secretResolver);
            try (HelmManager helm = builder.build()) {
                ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
                Consumer<Object> keep = o -> seen.append(o).append('\n');
                String message = "vault says ref+vault://secret/app#/password+ as ref+vault://secret/app#/user+";
                String color = "ref+azurekeyvault://" + vaultName + "/db#/password";

                Release installed = helm.install("web").inNamespace(NS).createNamespace().chart(podinfo)
                        .set("ui.message", message).set("ui.color", color).run();
                keep.accept(installed);
                assertEquals("vault says " + vaultPassword + " as app", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"));
                assertEquals(azurePassword, PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_COLOR"));
                assertEquals(1, vault.reads.get(), "two keys of one Vault secret: one read");

                DryRunResult plan = helm.upgrade("web").inNamespace(NS).chart(podinfo).reuseValues().dryRun();
                keep.accept(plan);
                keep.accept(plan.rendered().manifest());
                keep.accept(plan.notes());
                keep.accept(helm.values("web").inNamespace(NS).run());

                // Rotated in Vault: the next upgrade (keeping the recorded references) deploys it.
                vault.put("secret/app", Map.of("password", rotated, "user", "app"));
                keep.accept(helm.upgrade("web").inNamespace(NS).chart(podinfo).reuseValues().run());
                assertEquals("vault says " + rotated + " as app", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"));

                // Vault stops mid-test: the upgrade fails before anything changes; what is deployed stays.
                vault.close();
                SecretResolutionException down = assertThrows(SecretResolutionException.class, () -> helm.upgrade("web").inNamespace(NS)
                        .chart(podinfo).reuseValues().set("replicaCount", 3).run());
                keep.accept(trace(down));
                assertEquals(SecretResolutionException.Reason.UNREACHABLE, down.reason());
                assertTrue(down.retryable());
                assertEquals(2, helm.status("web").inNamespace(NS).run().revision(), "no revision was written");
                assertEquals("vault says " + rotated + " as app", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"));
                assertEquals(1, cluster.client().apps().deployments().inNamespace(NS).withName("web-podinfo").get().getSpec().getReplicas());

                SecretResolutionException missing = assertThrows(SecretResolutionException.class, () -> helm.install("other")
                        .inNamespace(NS).chart(podinfo).set("ui.color", "ref+azurekeyvault://" + vaultName + "/db#/nope").run());
                keep.accept(trace(missing));
                assertEquals(SecretResolutionException.Reason.MISSING_KEY, missing.reason());
                keep.accept(helm.history("web").inNamespace(NS).run());
            }
        } finally {
            System.setErr(original);
        }
        String all = seen + "\n" + logs.toString(StandardCharsets.UTF_8);
        for (String secret : List.of(vaultPassword, rotated, azurePassword, TOKEN, bearer)) {
            assertFalse(all.contains(secret), "a secret leaked:\n" + all);
        }
        assertTrue(all.contains("ref+vault://secret/app#/password"), "the scan saw the references: " + all);
    }


    @Test
    void concurrentOperationsResolveTheirOwnSecretsWithOneReadEach(EmbeddedKubernetes cluster) throws Exception {
        int releases = 6;
        try (FakeVault vault = FakeVault.http().kv("secret", 2).token(TOKEN, new FakeVault.TokenInfo(true, 0, false))) {
            for (int i = 0; i < releases; i++) {
                vault.put("secret/app" + i, Map.of("password", "pw-" + i + "-" + UUID.randomUUID(), "user", "u" + i));
            }
            Map<String, String> env = Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", TOKEN, "HOME", "/nonexistent");
            try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).secretResolver(new VaultResolver(env::get)).build()) {
                ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(releases);
                try {
                    List<java.util.concurrent.Future<Release>> done = new java.util.ArrayList<>();
                    for (int i = 0; i < releases; i++) {
                        int n = i;
                        done.add(pool.submit(() -> helm.install("app" + n).inNamespace("parallel").createNamespace().chart(podinfo)
                                .set("ui.message", "ref+vault://secret/app" + n + "#/password")
                                .set("ui.color", "ref+vault://secret/app" + n + "#/user").run()));
                    }
                    for (java.util.concurrent.Future<Release> f : done) {
                        assertEquals(1, f.get(120, java.util.concurrent.TimeUnit.SECONDS).revision());
                    }
                } finally {
                    pool.shutdownNow();
                }
                for (int i = 0; i < releases; i++) {
                    assertTrue(PodinfoEnv.get(cluster.client(), "parallel", "app" + i, "PODINFO_UI_MESSAGE").startsWith("pw-" + i + "-"),
                            "release app" + i + " got its own secret");
                    assertEquals("u" + i, PodinfoEnv.get(cluster.client(), "parallel", "app" + i, "PODINFO_UI_COLOR"));
                }
                assertEquals(releases, vault.reads.get(), "one read per secret per operation, whatever runs beside it");
            }
        }
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
