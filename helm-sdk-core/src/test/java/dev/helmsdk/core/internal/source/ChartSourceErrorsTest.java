package dev.helmsdk.core.internal.source;

import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a repository's answer becomes, end to end through {@link RemoteCharts} against a JDK
 * HttpServer: each {@link Reason} is reached, and its retryability is the documented table's
 * (written out here, not computed).
 */
class ChartSourceErrorsTest {

    private static final Set<Reason> RETRYABLE = EnumSet.of(Reason.UNREACHABLE, Reason.SERVER_ERROR);

    private HttpServer server;
    private volatile int status;
    private volatile String body = "";
    private URI url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/charts/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HelmSdkException fetchFails(ChartSources sources, URI repository, Path dir) {
        try (RemoteCharts charts = new RemoteCharts(sources, dir)) {
            return assertThrows(HelmSdkException.class, () -> charts.fetch(Operation.INSTALL, "r",
                    new ChartRef.Repository(repository, "web", "1.0.0"), () -> CredentialContext.of(Operation.INSTALL)));
        }
    }

    private ChartSources plainHttp() {
        return ChartSources.builder().plainHttp("127.0.0.1")
                .credentials(StaticCredentialProvider.of(url, new Credentials.BasicAuth("u", "secret-pw"))).build();
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}, retryable {2}")
    @CsvSource({
            "401, UNAUTHORIZED,    false",
            "403, FORBIDDEN,       false",
            "407, PROXY,           false",
            "408, SERVER_ERROR,    true",
            "429, SERVER_ERROR,    true",
            "500, SERVER_ERROR,    true",
            "502, SERVER_ERROR,    true",
            "503, SERVER_ERROR,    true",
            "504, SERVER_ERROR,    true",
            "501, INVALID_CONTENT, false",
            "409, INVALID_CONTENT, false",
            "418, INVALID_CONTENT, false"})
    void eachStatusBecomesItsReasonWithTheTablesRetryability(int answer, Reason reason, boolean retryable, @TempDir Path dir) {
        status = answer;
        ChartSourceException e = assertInstanceOf(ChartSourceException.class, fetchFails(plainHttp(), url, dir));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(retryable, e.retryable(), e.getMessage());
        assertEquals(RETRYABLE.contains(reason), retryable, "the row for the status agrees with the row for the reason");
        assertFalse(e.getMessage().contains("secret-pw"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
            "400|<html>400 No required SSL certificate was sent</html>|TLS",   // nginx refusing the client certificate
            "200|<html>a login page, not an index</html>|INVALID_CONTENT"})
    void whatTheBodySaysDecidesTheReason(int answer, String text, Reason reason, @TempDir Path dir) {
        status = answer;
        body = text;
        ChartSourceException e = assertInstanceOf(ChartSourceException.class, fetchFails(plainHttp(), url, dir));
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void aMissingIndexIsChartNotFoundAndNotRetryable(@TempDir Path dir) {
        status = 404;
        HelmSdkException e = fetchFails(plainHttp(), url, dir);
        assertInstanceOf(ChartNotFoundException.class, e);
        assertFalse(e.retryable());
    }

    @Test
    void plainHttpThatIsNotAllowedIsInsecureTransport(@TempDir Path dir) {
        status = 200;
        ChartSourceException e = assertInstanceOf(ChartSourceException.class, fetchFails(ChartSources.builder().build(), url, dir));
        assertEquals(Reason.INSECURE_TRANSPORT, e.reason(), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void aHostThatDoesNotAnswerIsUnreachableAndRetryable(@TempDir Path dir) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ChartSourceException e = assertInstanceOf(ChartSourceException.class,
                fetchFails(plainHttp(), URI.create("http://127.0.0.1:" + closed + "/charts/"), dir));
        assertEquals(Reason.UNREACHABLE, e.reason(), e.getMessage());
        assertTrue(e.retryable());
    }
}
