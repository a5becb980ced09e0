package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ref+awsssm://} ({@link AwsResolver}) against the real moto server, with vals' three forms. */
@Tag("integration")
class AwsParameterStoreResolverTest extends AwsMotoFixture {

    private static SsmClient aws;

    @BeforeAll
    static void setUpClient() {
        aws = moto == null ? null : moto.ssm();
    }

    @AfterAll
    static void closeClient() {
        if (aws != null) { // null when moto could not start (skipped)
            aws.close();
        }
    }

    private void put(String name, String value, ParameterType type) {
        aws.putParameter(r -> r.name(name).value(value).type(type).overwrite(true));
    }

    @Test
    void aSecureStringIsDecryptedAndAPathWithoutLeadingSlashGetsOne() {
        put("/shop/db/password", "s3cret", ParameterType.SECURE_STRING);
        put("/shop/db/host", "db.internal", ParameterType.STRING);
        assertEquals("s3cret", resolve("ref+awsssm:///shop/db/password"));
        assertEquals("s3cret", resolve("ref+awsssm://shop/db/password"));
        assertEquals("db.internal", resolve("ref+awsssm://shop/db/host"));
    }

    @Test
    void versionAsksForThatVersion() {
        put("/shop/pw", "old-s3cret", ParameterType.SECURE_STRING);
        put("/shop/pw", "new-s3cret", ParameterType.SECURE_STRING);
        assertEquals("new-s3cret", resolve("ref+awsssm://shop/pw"));
        assertEquals("old-s3cret", resolve("ref+awsssm://shop/pw?version=1"));
        assertEquals("new-s3cret", resolve("ref+awsssm://shop/pw?version=2"));
        failure(Reason.INVALID_REFERENCE, "ref+awsssm://shop/pw?version=latest", () -> resolve("ref+awsssm://shop/pw?version=latest"));
    }

    @Test
    void aMissingParameterIsNotFound() {
        SecretResolutionException e = failure(Reason.NOT_FOUND, "ref+awsssm://shop/nope", () -> resolve("ref+awsssm://shop/nope"));
        assertTrue(e.getMessage().contains("no parameter /shop/nope in us-east-1"), e.getMessage());
        put("/shop/pw", "s3cret", ParameterType.SECURE_STRING);
        failure(Reason.NOT_FOUND, "ref+awsssm://shop/pw?version=7", () -> resolve("ref+awsssm://shop/pw?version=7"), "s3cret");
    }

    @Test
    void aFragmentSelectsAmongTheParametersUnderThePrefixAsVals() {
        // vals' README example: /foo/bar = {"BAR":"VALUE"}, /foo/bar/a = A, /foo/bar/b = B
        put("/foo/bar", "{\"BAR\":\"VALUE\"}", ParameterType.STRING);
        put("/foo/bar/a", "A", ParameterType.SECURE_STRING);
        put("/foo/bar/b", "B", ParameterType.STRING);
        assertEquals("{\"BAR\":\"VALUE\"}", resolve("ref+awsssm://foo/bar"));
        assertEquals("{\"BAR\":\"VALUE\"}", resolve("ref+awsssm://foo#/bar"));
        assertEquals("A", resolve("ref+awsssm://foo/bar/a"));
        assertEquals("A", resolve("ref+awsssm://foo/bar?#/a"));
        assertEquals("A", resolve("ref+awsssm://foo?recursive=true#/bar/a"));
        assertEquals("VALUE", resolve("ref+awsssm://foo/bar?mode=singleparam#/BAR"));
        assertEquals(Map.of("a", "A", "b", "B"), resolve("ref+awsssm://foo/bar#/"));
        // vals fails these two: /foo/bar's children have no BAR; recursively /foo/bar is a map, not a value.
        failure(Reason.MISSING_KEY, "ref+awsssm://foo/bar#/BAR", () -> resolve("ref+awsssm://foo/bar#/BAR"), "VALUE");
        assertEquals(Map.of("a", "A", "b", "B"), resolve("ref+awsssm://foo?recursive=true#/bar"));
        failure(Reason.NOT_FOUND, "ref+awsssm://nothing/here#/x", () -> resolve("ref+awsssm://nothing/here#/x"));
        failure(Reason.MISSING_KEY, "ref+awsssm://foo/bar?mode=singleparam#/NOPE",
                () -> resolve("ref+awsssm://foo/bar?mode=singleparam#/NOPE"), "VALUE");
        failure(Reason.INVALID_REFERENCE, "ref+awsssm://foo/bar?mode=multi#/a", () -> resolve("ref+awsssm://foo/bar?mode=multi#/a"));
    }

    @Test
    void prefixModeFollowsPagesBeyondTen() {
        for (int i = 0; i < 23; i++) {
            put("/many/p" + i, "v" + i, ParameterType.STRING);
        }
        assertEquals("v22", resolve("ref+awsssm://many#/p22"));
        assertEquals(23, ((Map<?, ?>) resolve("ref+awsssm://many#/")).size());
    }

    @Test
    void sixteenConcurrentResolvesShareOneClient() throws Exception {
        for (int i = 0; i < 16; i++) {
            put("/shop/p" + i, "s3cret-" + i, ParameterType.SECURE_STRING);
        }
        List<Object> values = resolveAtOnce(16, n -> "ref+awsssm://shop/p" + n);
        for (int i = 0; i < 16; i++) {
            assertEquals("s3cret-" + i, values.get(i));
        }
        assertEquals(1, resolver.clients(), "one client built, however many threads asked first");
    }
}
