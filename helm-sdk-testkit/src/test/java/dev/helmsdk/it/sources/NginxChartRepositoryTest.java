package dev.helmsdk.it.sources;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real nginx serving the sdk-web chart repository in each auth mode, checked with the JDK HttpClient. */
@Tag("integration")
class NginxChartRepositoryTest {

    static HttpResponse<byte[]> get(HttpClient client, URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpClient client(SSLContext ctx) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (ctx != null) {
            b.sslContext(ctx);
        }
        return b.build();
    }

    static String title(HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<center>([^<]*)</center>").matcher(body);
        StringBuilder t = new StringBuilder();
        while (m.find()) {
            t.append(t.length() == 0 ? "" : " | ").append(m.group(1));
        }
        return t.length() == 0 ? body : t.toString();
    }

    @Test
    void openRepositoryServesIndexAndArchive() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false)) {
            HttpClient c = client(null);
            HttpResponse<byte[]> index = get(c, repo.indexUri(), null);
            assertEquals(200, index.statusCode());
            String yaml = new String(index.body(), StandardCharsets.UTF_8);
            assertTrue(yaml.contains("name: sdk-web") && yaml.contains("- sdk-web-0.3.0.tgz"), yaml);
            HttpResponse<byte[]> tgz = get(c, repo.archiveUri(), null);
            assertEquals(200, tgz.statusCode());
            assertArrayEquals(Files.readAllBytes(repo.archive()), tgz.body());
        }
    }

    @Test
    void basicAuthOverTls() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(true, "repo-user", "Right-pw1")) {
            HttpClient c = client(repo.pki().trustingContext());
            assertEquals(200, get(c, repo.indexUri(), basic("repo-user", "Right-pw1")).statusCode());
            assertEquals(200, get(c, repo.archiveUri(), basic("repo-user", "Right-pw1")).statusCode());
            HttpResponse<byte[]> wrong = get(c, repo.indexUri(), basic("repo-user", "wrong"));
            assertEquals(401, wrong.statusCode());
            assertEquals("Basic realm=\"helm-sdk-test\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, get(c, repo.indexUri(), null).statusCode());

            // rotation: the new password works at once, the old one no longer does
            repo.changePassword("Rotated-pw2");
            assertEquals(200, get(c, repo.indexUri(), basic("repo-user", "Rotated-pw2")).statusCode());
            assertEquals(401, get(c, repo.indexUri(), basic("repo-user", "Right-pw1")).statusCode());

            // a client that does not trust the test CA fails the handshake
            IOException untrusted = assertThrows(IOException.class,
                    () -> get(HttpClient.newHttpClient(), repo.indexUri(), basic("repo-user", "Rotated-pw2")));
            System.out.println("[nginx basic tls] default trust store: " + untrusted);
        }
    }

    @Test
    void basicAuthOverPlainHttp() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(false, "repo-user", "Right-pw1")) {
            HttpClient c = client(null);
            assertEquals(200, get(c, repo.indexUri(), basic("repo-user", "Right-pw1")).statusCode());
            assertEquals(401, get(c, repo.indexUri(), basic("other", "Right-pw1")).statusCode());
        }
    }

    @Test
    void bearerToken() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startBearerTokenOrSkip(true, "tok-ABC.123_xyz")) {
            HttpClient c = client(repo.pki().trustingContext());
            assertEquals(200, get(c, repo.indexUri(), "Bearer tok-ABC.123_xyz").statusCode());
            assertEquals(200, get(c, repo.archiveUri(), "Bearer tok-ABC.123_xyz").statusCode());
            HttpResponse<byte[]> wrong = get(c, repo.indexUri(), "Bearer tok-wrong");
            assertEquals(401, wrong.statusCode());
            assertEquals("Bearer realm=\"helm-sdk-test\"", wrong.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, get(c, repo.indexUri(), null).statusCode());
            assertEquals(401, get(c, repo.indexUri(), basic("u", "tok-ABC.123_xyz")).statusCode());
        }
    }

    @Test
    void mutualTls(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startMutualTlsOrSkip()) {
            HttpResponse<byte[]> ok = get(client(repo.pki().clientContext()), repo.indexUri(), null);
            assertEquals(200, ok.statusCode());
            assertTrue(new String(ok.body(), StandardCharsets.UTF_8).contains("sdk-web"));

            // no client certificate: nginx answers 400 "No required SSL certificate was sent"
            HttpResponse<byte[]> none = get(client(repo.pki().trustingContext()), repo.indexUri(), null);
            System.out.println("[nginx mtls] without client certificate: " + none.statusCode() + " "
                    + title(none));
            assertTrue(title(none).contains("No required SSL certificate was sent"), title(none));
            assertEquals(400, none.statusCode());

            // a client certificate from another CA: 400 "The SSL certificate error"
            TestPki stranger = TestPki.generate(tmp.resolve("stranger"), "stranger-ca");
            HttpResponse<byte[]> foreign = get(client(TestPki.sslContext(repo.pki(), stranger)), repo.indexUri(), null);
            System.out.println("[nginx mtls] foreign client certificate: " + foreign.statusCode() + " "
                    + title(foreign));
            // the JDK offers a client certificate only if its issuer is among the CAs nginx names in the
            // CertificateRequest, so here it sends none ("No required SSL certificate was sent"); a client that
            // sends it anyway (Go/Helm) gets "The SSL certificate error"
            assertTrue(title(foreign).contains("SSL certificate"), title(foreign));
            assertEquals(400, foreign.statusCode());

            // not trusting the server: handshake failure on the client side
            Exception untrusted = assertThrows(SSLException.class, () -> {
                try {
                    get(client(TestPki.sslContext(stranger, repo.pki())), repo.indexUri(), null);
                } catch (IOException e) {
                    throw e instanceof SSLException ? e : (e.getCause() instanceof SSLException s ? s : e);
                }
            });
            System.out.println("[nginx mtls] untrusted server: " + untrusted);
            assertTrue(Arrays.asList("PKIX", "unable to find valid certification path").stream()
                    .anyMatch(untrusted.toString()::contains), untrusted.toString());
        }
    }
}
