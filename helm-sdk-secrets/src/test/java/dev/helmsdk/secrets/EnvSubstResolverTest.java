package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvSubstResolverTest {

    static final SecretContext CONTEXT = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5));
    private final EnvSubstResolver env = new EnvSubstResolver(Map.of("PW", "s3cret", "USER", "app", "EMPTY", "")::get);

    private Object resolve(String ref) {
        return env.resolve(SecretReference.parse(ref), CONTEXT);
    }

    @Test
    void substitutesBothFormsAndKeepsOtherText() {
        assertEquals("s3cret", resolve("ref+envsubst://$PW"));
        assertEquals("app:s3cret", resolve("ref+envsubst://${USER}:$PW"));
        assertEquals("s3cret", resolve("ref+envsubst://$PW/"));    // vals trims one trailing '/'
        assertEquals("$5", resolve("ref+envsubst://$$5"));
    }

    @Test
    void aSetButEmptyVariableIsEmptyAndADefaultAppliesWhenUnsetOrEmpty() {
        assertEquals("", resolve("ref+envsubst://$EMPTY"));
        assertEquals("fallback", resolve("ref+envsubst://${NOPE:-fallback}"));
        assertEquals("fallback", resolve("ref+envsubst://${EMPTY:-fallback}"));
    }

    @Test
    void aMissingVariableIsAMissingKeyNamingItNeverAnEmptyString() {
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolve("ref+envsubst://$PW-$NOPE"));
        assertEquals(Reason.MISSING_KEY, e.reason());
        assertTrue(e.getMessage().contains("NOPE"), e.getMessage());
        assertTrue(e.getMessage().contains("ref+envsubst://$PW-$NOPE"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertEquals(EnvSubstResolver.class.getName(), e.resolver());
        assertEquals(Operation.INSTALL, e.operation());
    }

    @Test
    void anUnclosedBraceIsAnInvalidReference() {
        assertEquals(Reason.INVALID_REFERENCE, assertThrows(SecretResolutionException.class, () -> resolve("ref+envsubst://${PW")).reason());
    }
}
