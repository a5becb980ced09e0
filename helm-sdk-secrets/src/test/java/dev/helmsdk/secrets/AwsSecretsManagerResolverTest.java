package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ref+awssecrets://} ({@link AwsResolver}) against the real moto server, the way an install resolves it. */
@Tag("integration")
class AwsSecretsManagerResolverTest extends AwsMotoFixture {

    private static SecretsManagerClient aws;

    @BeforeAll
    static void setUpClient() {
        aws = moto == null ? null : moto.secretsManager();
    }

    @AfterAll
    static void closeClient() {
        if (aws != null) { // null when moto could not start (skipped)
            aws.close();
        }
    }

    @Test
    void aStringSecretWithoutFragmentIsItsWholeText() {
        aws.createSecret(r -> r.name("shop/db-url").secretString("postgres://app:s3cret@db:5432/app"));
        aws.createSecret(r -> r.name("shop/json").secretString("{\"password\": \"s3cret\"}"));
        assertEquals("postgres://app:s3cret@db:5432/app", resolve("ref+awssecrets://shop/db-url"));
        assertEquals("{\"password\": \"s3cret\"}", resolve("ref+awssecrets://shop/json"));
    }

    @Test
    void aFragmentSelectsAJsonKeyKeepingItsTypeAtAnyDepth() {
        aws.createSecret(r -> r.name("shop/db").secretString(
                "{\"password\": \"s3cret\", \"port\": 5432, \"tls\": true, \"replicas\": {\"eu\": {\"host\": \"db-eu\"}}}"));
        assertEquals("s3cret", resolve("ref+awssecrets://shop/db#/password"));
        assertEquals(5432, resolve("ref+awssecrets://shop/db#/port"));
        assertEquals(true, resolve("ref+awssecrets://shop/db#/tls"));
        assertEquals("db-eu", resolve("ref+awssecrets://shop/db#/replicas/eu/host"));
        assertEquals(Map.of("eu", Map.of("host", "db-eu")), resolve("ref+awssecrets://shop/db#/replicas"));
        // vals parses the secret as YAML, so a YAML secret works too.
        aws.createSecret(r -> r.name("shop/yaml").secretString("api:\n  token: t0k\n"));
        assertEquals("t0k", resolve("ref+awssecrets://shop/yaml#/api/token"));
        // An ARN names the secret as well as its name.
        String arn = aws.describeSecret(r -> r.secretId("shop/db")).arn();
        assertEquals("s3cret", resolve("ref+awssecrets://" + arn + "#/password"));
    }

    @Test
    void aBinarySecretIsItsUtf8TextAndOneThatIsNotTextIsAnErrorWithoutItsBytes() {
        aws.createSecret(r -> r.name("shop/bin").secretBinary(SdkBytes.fromUtf8String("{\"key\": \"bin-s3cret\"}")));
        assertEquals("{\"key\": \"bin-s3cret\"}", resolve("ref+awssecrets://shop/bin"));
        assertEquals("bin-s3cret", resolve("ref+awssecrets://shop/bin#/key"));
        aws.createSecret(r -> r.name("shop/raw").secretBinary(SdkBytes.fromByteArray(new byte[] {(byte) 0xff, (byte) 0xfe, 'x', 0})));
        failsWith(Reason.INVALID_REFERENCE, "ref+awssecrets://shop/raw", "\u00ff");
    }

    @Test
    void versionStageAndVersionIdSelectAnOlderVersion() {
        String first = aws.createSecret(r -> r.name("shop/pw").secretString("old-s3cret")).versionId();
        aws.putSecretValue(r -> r.secretId("shop/pw").secretString("new-s3cret"));
        assertEquals("new-s3cret", resolve("ref+awssecrets://shop/pw"));
        assertEquals("old-s3cret", resolve("ref+awssecrets://shop/pw?version_stage=AWSPREVIOUS"));
        assertEquals("new-s3cret", resolve("ref+awssecrets://shop/pw?version_stage=AWSCURRENT"));
        assertEquals("old-s3cret", resolve("ref+awssecrets://shop/pw?version_id=" + first));
        failsWith(Reason.NOT_FOUND, "ref+awssecrets://shop/pw?version_stage=NOPE", "s3cret");
    }

    @Test
    void aMissingSecretIsNotFoundAndAMissingKeyIsMissingKeyNeverAnEmptyString() {
        SecretResolutionException e = failure(Reason.NOT_FOUND, "ref+awssecrets://shop/nope", () -> resolve("ref+awssecrets://shop/nope"));
        assertTrue(e.getMessage().contains("no secret 'shop/nope' in us-east-1"), e.getMessage());
        assertFalse(e.retryable());
        aws.createSecret(r -> r.name("shop/db").secretString("{\"password\": \"s3cret\"}"));
        e = failure(Reason.MISSING_KEY, "ref+awssecrets://shop/db#/user", () -> resolve("ref+awssecrets://shop/db#/user"), "s3cret");
        assertTrue(e.getMessage().contains("/user"), e.getMessage());
        aws.createSecret(r -> r.name("shop/text").secretString("not: [yaml s3cret"));
        failsWith(Reason.INVALID_REFERENCE, "ref+awssecrets://shop/text#/key", "s3cret");
    }

    @Test
    void theRegionParameterAsksAnotherRegion() {
        try (SecretsManagerClient west = SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            west.createSecret(r -> r.name("shop/west").secretString("west-s3cret"));
        }
        assertEquals("west-s3cret", resolve("ref+awssecrets://shop/west?region=us-west-2"));
        failsWith(Reason.NOT_FOUND, "ref+awssecrets://shop/west");
        assertEquals(2, resolver.clients(), "one client per region");
    }

    /** Resolves its arguments with {@code new AwsResolver()} and prints them, one a line: run in a child JVM. */
    public static final class DefaultChains {
        public static void main(String[] args) {
            try (AwsResolver resolver = new AwsResolver()) {
                for (String ref : args) {
                    try {
                        System.out.println(resolver.resolve(SecretReference.parse(ref), CONTEXT));
                    } catch (SecretResolutionException e) {
                        System.out.println(e.reason());
                    }
                }
            }
        }
    }

    @Test
    void theDefaultConstructorIsConfiguredByTheSdksOwnChains(@TempDir Path dir) throws Exception {
        aws.createSecret(r -> r.name("shop/east").secretString("east-s3cret"));
        try (SecretsManagerClient west = SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
            west.createSecret(r -> r.name("shop/west").secretString("west-s3cret"));
        }
        // The SDK's files, not the home directory's: a profile with its own region and credentials.
        Path config = Files.writeString(dir.resolve("config"), "[profile other]\nregion = us-west-2\n");
        Path credentials = Files.writeString(dir.resolve("credentials"), "[other]\naws_access_key_id = other\naws_secret_access_key = other\n");
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DefaultChains.class.getName(),
                "ref+awssecrets://shop/east?region=us-east-1", "ref+awssecrets://shop/west?profile=other",
                "ref+awssecrets://shop/west?region=us-west-2", "ref+awssecrets://shop/west?region=us-east-1", "ref+awssecrets://shop/east")
                .redirectErrorStream(true);
        child.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        // No AWS_REGION: it would win over the profile's region, in the SDK as in the AWS CLI.
        child.environment().putAll(Map.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_CONFIG_FILE", config.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "AWS_EC2_METADATA_DISABLED", "true"));
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> !l.startsWith("SLF4J")).toList();
        assertEquals(List.of("east-s3cret", "west-s3cret", "west-s3cret", "NOT_FOUND", "INVALID_REFERENCE"), lines, out);
    }

    @Test
    void withoutARegionTheErrorSaysHowToSetOne() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.remove("AWS_REGION");
        try (AwsResolver noRegion = new AwsResolver(env::get)) {
            SecretResolutionException e = failure(Reason.INVALID_REFERENCE, "ref+awssecrets://shop/db",
                    () -> noRegion.resolve(SecretReference.parse("ref+awssecrets://shop/db"), CONTEXT));
            assertTrue(e.getMessage().contains("AWS_REGION") && e.getMessage().contains("?region="), e.getMessage());
        }
        failsWith(Reason.INVALID_REFERENCE, "ref+awssecrets://shop/db?region=us_east_1!");
    }

    @Test
    void wrongCredentialsAreDeniedAndNotShown() {
        try (MotoServer enforcing = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "0"))) {
            Map<String, String> env = new HashMap<>(enforcing.environment());
            env.put("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000");
            env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-key-value");
            try (AwsResolver denied = new AwsResolver(env::get)) {
                SecretResolutionException e = failure(Reason.DENIED, "ref+awssecrets://shop/db",
                        () -> denied.resolve(SecretReference.parse("ref+awssecrets://shop/db"), CONTEXT), "wrong-secret-key-value", "AKIAUNKNOWNKEY");
                assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
                assertFalse(e.retryable());
            }
        }
    }

    @Test
    void aClosedPortIsUnreachableAndRetryable() {
        Map<String, String> env = new HashMap<>(moto.environment());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + MotoServer.freePort());
        try (AwsResolver closed = new AwsResolver(env::get)) {
            long start = System.nanoTime();
            SecretResolutionException e = failure(Reason.UNREACHABLE, "ref+awssecrets://shop/db",
                    () -> closed.resolve(SecretReference.parse("ref+awssecrets://shop/db"), CONTEXT));
            assertTrue(e.retryable());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5_000, "within the context's 5 s");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheTimeLeft() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = new HashMap<>(moto.environment());
            env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + silent.getLocalPort());
            SecretContext halfASecond = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofMillis(500));
            try (AwsResolver slow = new AwsResolver(env::get)) {
                long start = System.nanoTime();
                SecretResolutionException e = failure(Reason.TIMEOUT, "ref+awssecrets://shop/db",
                        () -> slow.resolve(SecretReference.parse("ref+awssecrets://shop/db"), halfASecond));
                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(ms < 3_000, "ended near the 500 ms left, took " + ms + " ms");
                assertTrue(e.retryable());
                SecretContext none = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ZERO);
                failure(Reason.TIMEOUT, "ref+awssecrets://shop/db", () -> slow.resolve(SecretReference.parse("ref+awssecrets://shop/db"), none));
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void sixteenConcurrentResolvesShareOneClient() throws Exception {
        for (int i = 0; i < 16; i++) {
            int n = i;
            aws.createSecret(r -> r.name("shop/s" + n).secretString("{\"v\": \"s3cret-" + n + "\"}"));
        }
        List<Object> values = resolveAtOnce(16, n -> "ref+awssecrets://shop/s" + n + "#/v");
        for (int i = 0; i < 16; i++) {
            assertEquals("s3cret-" + i, values.get(i));
        }
        assertEquals(1, resolver.clients(), "one client built, however many threads asked first");
        resolver.close();
        assertEquals(0, resolver.clients(), "close releases the clients");
        assertEquals("s3cret-0", resolve("ref+awssecrets://shop/s0#/v"), "a closed resolver builds a new client when asked again");
    }
}
