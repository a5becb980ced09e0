package dev.helmsdk.testkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link FakeCredentialProvider}: matching by URL prefix or host, failures, recorded lookups. */
class FakeCredentialProviderTest {

    private static final Credentials.BasicAuth ROBOT = new Credentials.BasicAuth("robot", "robot-pw-1234");
    private static final Credentials.BearerToken TOKEN = new Credentials.BearerToken("token-abcdef12");

    @Test
    void theLongestMatchingKeyWinsOnPathSegmentBoundariesAndAHostMatchesEveryUrlOnIt() {
        FakeCredentialProvider fake = FakeCredentialProvider.create()
                .withCredentials("registry.example.com", TOKEN)
                .withCredentials("oci://registry.example.com/charts", ROBOT);
        assertEquals(List.of(ROBOT), fake.resolve(URI.create("oci://REGISTRY.example.com/charts/shop/"), null).orElseThrow().methods());
        assertEquals(List.of(TOKEN), fake.resolve(URI.create("oci://registry.example.com/chartsX"), null).orElseThrow().methods());
        assertEquals(List.of(TOKEN), fake.resolve(URI.create("https://registry.example.com/index.yaml"), null).orElseThrow().methods());
        assertEquals(Optional.empty(), fake.resolve(URI.create("https://elsewhere.example.com"), null));
        assertEquals("fake", fake.resolve(URI.create("oci://registry.example.com/charts"), null).orElseThrow().source());
        assertEquals(CredentialProvider.PRIORITY_EXPLICIT, fake.priority());
        assertEquals(Optional.empty(), FakeCredentialProvider.create().withCredentials("charts.example.com:8443", ROBOT)
                .resolve(URI.create("https://charts.example.com"), null), "a port in the key must match");
    }

    @Test
    void lookupsAreRecordedWithTheirContextAndWhetherTheyWereAnswered() {
        FakeCredentialProvider fake = FakeCredentialProvider.named("vault-creds", 250).withCredentials("https://charts.corp", ROBOT);
        CredentialContext install = CredentialContext.of(Operation.INSTALL);
        fake.resolve(URI.create("https://charts.corp/stable"), install);
        fake.resolve(URI.create("https://other.corp"), null);
        assertEquals(List.of(new FakeCredentialProvider.Lookup(URI.create("https://charts.corp/stable"), install, true),
                new FakeCredentialProvider.Lookup(URI.create("https://other.corp"), CredentialContext.empty(), false)), fake.lookups());
        assertEquals("vault-creds", fake.name());
        assertEquals(250, fake.priority());
        fake.clearLookups();
        assertEquals(List.of(), fake.lookups());
    }

    @Test
    void aFailingRepositoryThrowsItsMessageUntilGivenCredentialsAgain() {
        FakeCredentialProvider fake = FakeCredentialProvider.create().withCredentials("https://charts.corp", ROBOT)
                .failing("https://charts.corp/broken", "mounted secret /var/run/creds is truncated");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fake.resolve(URI.create("https://charts.corp/broken/x"), null));
        assertEquals("mounted secret /var/run/creds is truncated", e.getMessage());
        assertTrue(fake.resolve(URI.create("https://charts.corp/stable"), null).isPresent(), "only below the failing key");
        fake.withCredentials("https://charts.corp/broken", TOKEN);
        assertEquals(List.of(TOKEN), fake.resolve(URI.create("https://charts.corp/broken/x"), null).orElseThrow().methods());
        assertEquals(3, fake.lookups().size());
    }

    @Test
    void printsNoSecretAndRejectsBadKeys() {
        FakeCredentialProvider fake = FakeCredentialProvider.create().withCredentials("https://charts.corp", ROBOT, TOKEN);
        String printed = fake + " " + fake.explainMiss(URI.create("https://x.corp")) + " " + fake.resolve(URI.create("https://charts.corp"), null);
        assertFalse(printed.contains("robot-pw-1234") || printed.contains("token-abcdef12"), printed);
        assertThrows(IllegalArgumentException.class, () -> fake.withCredentials(" ", ROBOT));
        assertThrows(IllegalArgumentException.class, () -> fake.withCredentials("https://charts.corp"));
        assertThrows(IllegalArgumentException.class, () -> FakeCredentialProvider.named("two words", 1));
        assertThrows(NullPointerException.class, () -> fake.resolve(null, null));
    }
}
