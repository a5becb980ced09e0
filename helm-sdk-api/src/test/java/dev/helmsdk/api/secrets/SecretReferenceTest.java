package dev.helmsdk.api.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grammar, on references from vals' README (helmfile/vals) and malformed ones Go's url.Parse refuses. */
class SecretReferenceTest {

    @Test
    void vaultReferenceFromValsReadmeHasPathAndFragment() {
        SecretReference r = SecretReference.parse("ref+vault://mykv/foo#/mykey");
        assertEquals("vault", r.scheme());
        assertEquals("mykv/foo", r.path());
        assertEquals(Optional.of("/mykey"), r.fragment());
        assertEquals(List.of("mykey"), r.fragmentKeys());
        assertEquals("ref+vault://mykv/foo#/mykey", r.toString());
    }

    @Test
    void queryParametersAreParsedInOrderAndDecoded() {
        SecretReference r = SecretReference.parse("ref+awssecrets://myteam/mydoc?region=us-west-2&profile=my%20profile#/foo/bar");
        assertEquals("myteam/mydoc", r.path());
        assertEquals(Map.of("region", List.of("us-west-2"), "profile", List.of("my profile")), r.params());
        assertEquals(Optional.of("us-west-2"), r.param("region"));
        assertEquals(List.of("foo", "bar"), r.fragmentKeys());
    }

    @Test
    void theTerminatorAndTheSecretrefPrefixAreAccepted() {
        assertEquals("ref+envsubst://$PW", SecretReference.parse("ref+envsubst://$PW+").text());
        SecretReference s = SecretReference.parse("secretref+file://secrets.yaml#/db");
        assertEquals("file", s.scheme());
        assertEquals("secrets.yaml", s.path());
    }

    @Test
    void anAbsoluteFilePathKeepsItsSlash() {
        assertEquals("/etc/app/secret.txt", SecretReference.parse("ref+file:///etc/app/secret.txt").path());
    }

    @Test
    void selectWalksMapsAndListsAndReportsMissingKeys() {
        Map<String, Object> tree = Map.of("a", Map.of("b", List.of("x", 42)));
        assertEquals(Optional.of(42), SecretReference.parse("ref+file://f.yaml#/a/b/1").select(tree));
        assertEquals(Optional.of(tree), SecretReference.parse("ref+file://f.yaml").select(tree));
        assertEquals(Optional.empty(), SecretReference.parse("ref+file://f.yaml#/a/c").select(tree));
        assertEquals(Optional.empty(), SecretReference.parse("ref+file://f.yaml#/a/b/7").select(tree));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ref+://nothing",              // no scheme: Go's "missing protocol scheme"
            "ref+1vault://x",              // a scheme starts with a letter
            "ref+my vault://x",            // no space in a scheme
            "ref+vault://secret%zz/db",    // bad %-escape
            "ref+vault://db?a=1;b=2",      // Go refuses ';' in a query
            "ref+vault:/missing-slash",    // not a reference at all
            "ref+vault://",                // nothing after ://
            "ref+vault://a+b",             // '+' ends a reference: two pieces
    })
    void malformedReferencesAreRefusedNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretReference.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void equalityIsByText() {
        assertEquals(SecretReference.parse("ref+envsubst://$A+"), SecretReference.parse("ref+envsubst://$A"));
    }
}
