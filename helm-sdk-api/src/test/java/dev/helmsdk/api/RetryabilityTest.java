package dev.helmsdk.api;

import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented table of {@link Retryability}, row by row: the expected values here are written
 * out, not computed, so a change to the table must change this test (and the Javadoc and README).
 */
class RetryabilityTest {

    private static final Operation OP = Operation.UPGRADE;
    private static final URI REPO = URI.create("https://charts.example.com/");

    private static HelmOperationException helm(String text) {
        return new HelmOperationException(OP, "web", "upgrade failed: " + text, text, null);
    }

    static Stream<Arguments> everyExceptionKind() {
        OperationTimeoutException timeout = new OperationTimeoutException(OP, "web", Duration.ofSeconds(5), "slow", null);
        ReadinessFailedException notReady = new ReadinessFailedException(OP, "web", List.of("pod/web-1: CrashLoopBackOff"), "crash loop");
        return Stream.of(
                Arguments.of(new ReleaseBusyException(OP, "web", "other-jvm", "busy"), true),
                Arguments.of(new dev.helmsdk.api.audit.AuditUnavailableException(OP, "web", "com.example.Sink", new IllegalStateException("disk full")), true),
                Arguments.of(timeout, true),
                Arguments.of(new KubernetesApiException(OP, "web", 0, "unreachable", null), true),
                Arguments.of(new ClusterCredentialException(OP, "web", "aws", ClusterCredentialException.Reason.TIMED_OUT, "stopped", null), true),
                Arguments.of(new ClusterCredentialException(OP, "web", "aws", ClusterCredentialException.Reason.FAILED, "code 1", null), false),
                Arguments.of(new ClusterCredentialException(OP, "web", "aws", ClusterCredentialException.Reason.NO_CREDENTIAL, "no token", null), false),
                Arguments.of(new ChartSourceException(OP, "web", ChartSourceException.Reason.SERVER_ERROR, REPO, "anonymous", "503", null), true),
                Arguments.of(new ChartSourceException(OP, "web", ChartSourceException.Reason.UNAUTHORIZED, REPO, "basic", "401", null), false),
                Arguments.of(helm("template: web/templates/x.yaml:3: nil pointer"), false),
                Arguments.of(helm("UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress"), true),
                Arguments.of(new ReleaseAlreadyExistsException(OP, "web", "exists", "cannot re-use a name that is still in use", null), false),
                Arguments.of(new ReleaseNotFoundException(OP, "web", "missing"), false),
                Arguments.of(new ChartNotFoundException(OP, "web", "no chart", null), false),
                Arguments.of(new ChartDependencyException(Operation.DEPENDENCY_UPDATE, "redis", REPO.toString(), "503 from the repository",
                        new ChartSourceException(OP, "redis", ChartSourceException.Reason.SERVER_ERROR, REPO, "anonymous", "503", null)), true),
                Arguments.of(new ChartVerificationException(Operation.VERIFY, "shop-1.0.0.tgz",
                        ChartVerificationException.Reason.BAD_SIGNATURE, "the signature does not verify", null), false),
                Arguments.of(new ChartDependencyException(Operation.DEPENDENCY_BUILD, "redis", REPO.toString(), "Chart.lock is out of date", null), false),
                Arguments.of(new ReleaseStuckException(OP, "web", 3, ReleaseStatus.PENDING_UPGRADE, "stuck"), false),
                Arguments.of(notReady, false),
                Arguments.of(new HealthCheckFailedException(OP, "web", "http", "503 from /healthz", null), false),
                Arguments.of(new InvalidRequestException(OP, "web", "bad name"), false),
                Arguments.of(new CredentialResolutionException(OP, REPO, Map.of("static", "no entry")), false),
                Arguments.of(secret(SecretResolutionException.Reason.UNREACHABLE), true),
                Arguments.of(secret(SecretResolutionException.Reason.TIMEOUT), true),
                Arguments.of(secret(SecretResolutionException.Reason.MISSING_KEY), false),
                Arguments.of(new HelmSdkException(OP, "web", "interrupted", new InterruptedException()), false),
                Arguments.of(new AutoRollbackException(timeout, 2, null, "rolled back"), true),
                Arguments.of(new AutoRollbackException(timeout, -1, new KubernetesApiException(OP, "web", 503, "down", null), "rollback failed"), false),
                Arguments.of(new AutoRollbackException(notReady, 2, null, "rolled back"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyExceptionKind")
    void everyExceptionKindHasItsDocumentedValue(HelmSdkException e, boolean retryable) {
        assertEquals(retryable, e.retryable(), e.getClass().getSimpleName() + ": " + e.getMessage());
        assertEquals(retryable, Retryability.of(e), "retryable() is the table's answer");
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "0,    null,               true",   // no response: unreachable, reset, I/O timeout
            "408,  Timeout,            true",
            "409,  Conflict,           true",   // optimistic concurrency (a Lease, a release record)
            "409,  null,               true",   // client-go's IsConflict: a 409 without a known other reason
            "409,  AlreadyExists,      false",  // the same create meets the same object
            "429,  TooManyRequests,    true",
            "500,  InternalError,      true",
            "502,  null,               true",
            "503,  ServiceUnavailable, true",
            "504,  Timeout,            true",
            "501,  null,               false",  // not implemented: it will not be next time either
            "400,  BadRequest,         false",
            "401,  Unauthorized,       false",
            "403,  Forbidden,          false",
            "404,  NotFound,           false",
            "405,  MethodNotAllowed,   false",
            "410,  Gone,               false",
            "422,  Invalid,            false"})
    void kubernetesStatusesHaveTheirDocumentedValue(int status, String reason, boolean retryable) {
        assertEquals(retryable, new KubernetesApiException(OP, "web", status, reason, "HTTP " + status, null).retryable());
        assertEquals(retryable, Retryability.ofKubernetesStatus(status, reason));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"200, false", "304, false", "400, false", "401, false", "403, false", "404, false", "407, false", "408, true",
            "409, false", "418, false", "429, true", "500, true", "501, false", "502, true", "503, true", "504, true", "599, true"})
    void httpStatusesOfChartSourcesHaveTheirDocumentedValue(int status, boolean retryable) {
        assertEquals(retryable, Retryability.ofHttpStatus(status));
    }

    @Test
    void everyChartSourceReasonHasItsDocumentedValue() {
        Map<ChartSourceException.Reason, Boolean> table = new EnumMap<>(Map.of(
                ChartSourceException.Reason.UNAUTHORIZED, false,
                ChartSourceException.Reason.FORBIDDEN, false,
                ChartSourceException.Reason.TLS, false,
                ChartSourceException.Reason.PROXY, false,
                ChartSourceException.Reason.INSECURE_TRANSPORT, false,
                ChartSourceException.Reason.UNREACHABLE, true,
                ChartSourceException.Reason.SERVER_ERROR, true,
                ChartSourceException.Reason.INVALID_CONTENT, false));
        assertEquals(Set.of(ChartSourceException.Reason.values()), table.keySet(), "a new reason needs a row in the table");
        table.forEach((reason, retryable) -> {
            assertEquals(retryable, Retryability.ofChartSource(reason), reason.name());
            assertEquals(retryable, new ChartSourceException(OP, "web", reason, REPO, "anonymous", reason.name(), null).retryable(), reason.name());
        });
    }

    private static SecretResolutionException secret(SecretResolutionException.Reason reason) {
        return new SecretResolutionException(OP, "web", "ref+vault://secret/db#/password", "com.example.Vault", reason, reason.name(), null);
    }

    @Test
    void everySecretResolutionReasonHasItsDocumentedValue() {
        Map<SecretResolutionException.Reason, Boolean> table = new EnumMap<>(Map.of(
                SecretResolutionException.Reason.UNKNOWN_SCHEME, false,
                SecretResolutionException.Reason.NOT_FOUND, false,
                SecretResolutionException.Reason.MISSING_KEY, false,
                SecretResolutionException.Reason.DENIED, false,
                SecretResolutionException.Reason.UNREACHABLE, true,
                SecretResolutionException.Reason.TIMEOUT, true,
                SecretResolutionException.Reason.INVALID_REFERENCE, false));
        assertEquals(Set.of(SecretResolutionException.Reason.values()), table.keySet(), "a new reason needs a row in the table");
        table.forEach((reason, retryable) -> {
            assertEquals(retryable, Retryability.ofSecretResolution(reason), reason.name());
            assertEquals(retryable, secret(reason).retryable(), reason.name());
        });
    }

    /** A new exception type in the API must get a row (a deliberate decision), and a test row here. */
    @Test
    void everyPublicExceptionTypeOfTheApiIsInTheTable() throws IOException, URISyntaxException {
        Path root = Path.of(HelmSdkException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> found;
        try (Stream<Path> files = Files.walk(root)) {
            found = files.map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith("Exception.class") && !p.contains("$"))
                    .map(p -> p.replace('/', '.').replace('\\', '.').replaceAll("\\.class$", ""))
                    .filter(RetryabilityTest::isPublicSdkException)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> tested = everyExceptionKind().map(a -> a.get()[0].getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(found.isEmpty());
        assertEquals(found, tested);
    }

    private static boolean isPublicSdkException(String name) {
        try {
            Class<?> c = Class.forName(name);
            return HelmSdkException.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void retryableIsDecidedOnlyByTheTable() throws NoSuchMethodException {
        assertTrue(Modifier.isFinal(HelmSdkException.class.getMethod("retryable").getModifiers()), "no subtype can decide otherwise");
        everyExceptionKind().map(a -> a.get()[0].getClass()).distinct().flatMap(t -> Stream.of(t.getConstructors())).forEach(c ->
                assertFalse(List.of(c.getParameterTypes()).contains(boolean.class), "no constructor takes a free retryable flag: " + c));
    }
}
