package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link VaultResolver}'s logins and token lifecycle: AppRole, Kubernetes, userpass, lookup, renewal, new logins. */
@Tag("integration")
class VaultAuthTest extends VaultFixture {

    @Test
    void appRoleLogsInOnceUnderSixteenConcurrentFirstResolves() throws Exception {
        useAppRole(new FakeVault.TokenInfo(true, 3600, true));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String ref = i % 2 == 0 ? "ref+vault://secret/app#/password" : "ref+vault://kv/legacy#/password";
                answers.add(pool.submit(() -> {
                    go.await();
                    return resolve(ref);
                }));
            }
            go.countDown();
            for (int i = 0; i < 16; i++) {
                assertEquals(i % 2 == 0 ? "pw-v2-s3cret" : "legacy-s3cret", answers.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, vault.logins.get());
        assertEquals(2, vault.preflights.get(), "one preflight per mount, shared by concurrent first readers");
    }

    @Test
    void appRoleWithWrongCredentialsIsDeniedAndAMissingMountSaysWhichToSet() {
        useAppRole(new FakeVault.TokenInfo(true, 3600, true));
        env.put("VAULT_SECRET_ID", "not-the-secret-id");
        SecretResolutionException wrong = failure("ref+vault://secret/app#/password");
        assertEquals(Reason.DENIED, wrong.reason());
        assertFalse(wrong.getMessage().contains("not-the-secret-id"), wrong.getMessage());
        env.put("VAULT_SECRET_ID", SECRET_ID);
        env.put("VAULT_LOGIN_MOUNT_POINT", "approle-ci");
        SecretResolutionException noMount = failure("ref+vault://secret/app#/password");
        assertEquals(Reason.INVALID_REFERENCE, noMount.reason());
        assertTrue(noMount.getMessage().contains("auth/approle-ci"), noMount.getMessage());
        vault.appRole("approle-ci", "role-1", SECRET_ID);
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password"));
    }

    @Test
    void kubernetesAuthLogsInWithTheServiceAccountToken() throws IOException {
        Path jwt = Files.writeString(dir.resolve("token"), JWT + "\n");
        vault.kubernetes("k8s-prod", "app", JWT);
        env.remove("VAULT_TOKEN");
        env.put("VAULT_KUBERNETES_JWT_TOKEN_PATH", jwt.toString());
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?auth_method=kubernetes&role_id=app&login_mount=k8s-prod#/password"));
        env.put("VAULT_AUTH_METHOD", "kubernetes");
        env.put("VAULT_ROLE_ID", "app");
        env.put("VAULT_KUBERNETES_MOUNT_POINT", "k8s-prod");
        assertEquals("svc", resolve("ref+vault://secret/other#/user"));
        assertEquals(1, vault.logins.get()); // the same store configuration, given by parameters or the environment: one client
        env.put("VAULT_KUBERNETES_JWT_TOKEN_PATH", dir.resolve("absent").toString());
        SecretResolutionException e = failure("ref+vault://secret/other?namespace=x#/user");
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    @Test
    void userpassLogsInWithThePasswordFromTheVariableOrFileNamed() throws IOException {
        vault.userPass("userpass", "deployer", "pass-w0rd");
        env.remove("VAULT_TOKEN");
        env.put("DEPLOY_PW", "pass-w0rd");
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?auth_method=userpass&username=deployer&password_env=DEPLOY_PW#/password"));
        Path file = Files.writeString(dir.resolve("pw"), "pass-w0rd\n");
        env.put("VAULT_AUTH_METHOD", "userpass");
        env.put("VAULT_USERNAME", "deployer");
        env.put("VAULT_PASSWORD_FILE", file.toString());
        assertEquals("svc", resolve("ref+vault://secret/other#/user"));
        assertEquals(1, vault.logins.get()); // the same user and password from either source: the same store, one login
        env.put("VAULT_PASSWORD_FILE", Files.writeString(dir.resolve("bad"), "wrong-pass").toString());
        SecretResolutionException e = failure("ref+vault://secret/other#/user");
        assertEquals(Reason.DENIED, e.reason());
        assertFalse(e.getMessage().contains("wrong-pass") || e.getMessage().contains("pass-w0rd"), e.getMessage());
    }

    @Test
    void aRenewableTokenIsRenewedAtTwoThirdsOfItsTtl() {
        useAppRole(new FakeVault.TokenInfo(true, 60, true));
        resolve("ref+vault://secret/app#/password");
        clock.advance(Duration.ofSeconds(30));
        resolve("ref+vault://secret/app#/password");
        assertEquals(0, vault.renewals.get());
        clock.advance(Duration.ofSeconds(11)); // 41 s of 60
        resolve("ref+vault://secret/app#/password");
        assertEquals(1, vault.renewals.get());
        assertEquals(1, vault.logins.get());
        clock.advance(Duration.ofSeconds(30)); // 30 s into the renewed 60
        resolve("ref+vault://secret/app#/password");
        assertEquals(1, vault.renewals.get());
    }

    @Test
    void aGivenTokenIsLookedUpOnceAndRenewedBeforeExpiry() {
        vault.token("hvs.short", new FakeVault.TokenInfo(true, 30, true));
        env.put("VAULT_TOKEN", "hvs.short");
        resolve("ref+vault://secret/app#/password");
        resolve("ref+vault://secret/other#/user");
        assertEquals(1, vault.lookups.get());
        clock.advance(Duration.ofSeconds(21));
        resolve("ref+vault://secret/app#/password");
        assertEquals(1, vault.renewals.get());
    }

    @Test
    void aRefusedRenewalOrATokenThatCannotBeRenewedIsReplacedByANewLogin() {
        useAppRole(new FakeVault.TokenInfo(true, 60, true));
        vault.refuseRenewal(true);
        resolve("ref+vault://secret/app#/password");
        clock.advance(Duration.ofSeconds(41));
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password"));
        assertEquals(1, vault.renewals.get());
        assertEquals(2, vault.logins.get());

        vault.issuing(new FakeVault.TokenInfo(true, 60, false));
        clock.advance(Duration.ofSeconds(41));
        resolve("ref+vault://secret/app#/password"); // the token from the second login was renewable: refused again
        clock.advance(Duration.ofSeconds(41));
        resolve("ref+vault://secret/app#/password"); // not renewable: straight to a login
        assertEquals(2, vault.renewals.get());
        assertEquals(4, vault.logins.get());
    }

    @Test
    void aRevokedLoginTokenIsReplacedOnceThenTheAnswerStands() {
        useAppRole(new FakeVault.TokenInfo(true, 3600, true));
        resolve("ref+vault://secret/app#/password");
        vault.revokeIssued();
        assertEquals("legacy-s3cret", resolve("ref+vault://kv/legacy#/password")); // refused at the preflight
        assertEquals(2, vault.logins.get());
        vault.revokeIssued();
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password")); // refused at the read
        assertEquals(3, vault.logins.get());
        vault.deny("secret/data/other");
        assertEquals(Reason.DENIED, failure("ref+vault://secret/other#/user").reason());
        assertEquals(4, vault.logins.get());
    }
}
