package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileResolverTest {

    @TempDir
    Path dir;

    private Object resolve(String ref) {
        return new FileResolver(dir).resolve(SecretReference.parse(ref), CONTEXT);
    }

    @Test
    void theWholeFileIsItsText() throws IOException {
        Files.writeString(dir.resolve("pw.txt"), "s3cret\n");
        assertEquals("s3cret\n", resolve("ref+file://pw.txt"));
        assertEquals("s3cret\n", new FileResolver().resolve(SecretReference.parse("ref+file://" + dir.resolve("pw.txt")), CONTEXT));
    }

    @Test
    void aFragmentSelectsAKeyOfAYamlOrJsonFileKeepingItsType() throws IOException {
        Files.writeString(dir.resolve("s.yaml"), "db:\n  password: s3cret\n  port: 5432\n  tls: true\n  hosts: [a, b]\n  since: 2024-01-02\n");
        Files.writeString(dir.resolve("s.json"), "{\"api\": {\"token\": \"t0k\"}}");
        assertEquals("s3cret", resolve("ref+file://s.yaml#/db/password"));
        assertEquals(5432, resolve("ref+file://s.yaml#/db/port"));
        assertEquals(true, resolve("ref+file://s.yaml#/db/tls"));
        assertEquals(List.of("a", "b"), resolve("ref+file://s.yaml#/db/hosts"));
        assertEquals("2024-01-02", resolve("ref+file://s.yaml#/db/since"));
        assertEquals(Map.of("token", "t0k"), resolve("ref+file://s.json#/api"));
    }

    @Test
    void aMissingFileIsNotFoundAndAMissingKeyIsMissingKey() throws IOException {
        assertEquals(Reason.NOT_FOUND, assertThrows(SecretResolutionException.class, () -> resolve("ref+file://nope.txt")).reason());
        Files.writeString(dir.resolve("s.yaml"), "db:\n  password: s3cret\n");
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolve("ref+file://s.yaml#/db/user"));
        assertEquals(Reason.MISSING_KEY, e.reason());
        assertTrue(e.getMessage().contains("/db/user"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aFileThatIsNotYamlCannotBeSelectedFromAndItsTextIsNotQuoted() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), "key: [s3cret\n");
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolve("ref+file://bad.yaml#/key"));
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
}
