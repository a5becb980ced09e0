package dev.helmsdk.it.sources;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tinyproxy in front of the nginx chart repository, with and without proxy auth. */
@Tag("integration")
class ForwardProxyTest {

    static Authenticator proxyAuth(String user, String password) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                        ? new PasswordAuthentication(user, password.toCharArray()) : null;
            }
        };
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainHttpThroughProxyWithoutAuth() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(false, "repo-user", "Right-pw1");
             ForwardProxy proxy = ForwardProxy.startOrSkip()) {
            HttpClient c = HttpClient.newBuilder().proxy(proxy.selector()).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(repo.indexUri())
                    .header("Authorization", basic("repo-user", "Right-pw1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("sdk-web"));
            assertTrue(proxy.timesSelected() > 0);
            assertTrue(proxy.log().contains("GET " + repo.indexUri()), proxy.log());
            // the repository's own 401 passes through the proxy unchanged
            HttpResponse<String> wrong = c.send(HttpRequest.newBuilder(repo.indexUri())
                    .header("Authorization", basic("repo-user", "nope")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
        }
    }

    @Test
    void httpsThroughProxyWithoutAuthUsesConnect() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startMutualTlsOrSkip();
             ForwardProxy proxy = ForwardProxy.startOrSkip()) {
            HttpClient c = HttpClient.newBuilder().proxy(proxy.selector()).sslContext(repo.pki().clientContext()).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(repo.indexUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(proxy.log().contains("CONNECT 127.0.0.1:" + repo.port()), proxy.log());
        }
    }

    @Test
    void proxyAuthRightAndWrong() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(false);
             ForwardProxy proxy = ForwardProxy.startWithAuthOrSkip("proxy-user", "Proxy-pw1")) {
            // no credentials: 407 with a Proxy-Authenticate challenge
            HttpClient none = HttpClient.newBuilder().proxy(proxy.selector()).build();
            HttpResponse<String> denied = none.send(HttpRequest.newBuilder(repo.indexUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(407, denied.statusCode());
            System.out.println("[tinyproxy] no credentials: " + denied.statusCode() + " "
                    + denied.headers().firstValue("Proxy-Authenticate").orElse("(no challenge)"));

            // right credentials via an Authenticator (plain-HTTP target: no CONNECT, no tunneling property needed)
            HttpClient right = HttpClient.newBuilder().proxy(proxy.selector())
                    .authenticator(proxyAuth("proxy-user", "Proxy-pw1")).build();
            HttpResponse<String> ok = right.send(HttpRequest.newBuilder(repo.indexUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("sdk-web"));

            // wrong credentials: tinyproxy 1.11 answers 401 (not 407) with WWW-Authenticate: Basic realm="Tinyproxy"
            java.net.HttpURLConnection conn = (java.net.HttpURLConnection) repo.indexUri().toURL()
                    .openConnection(new java.net.Proxy(java.net.Proxy.Type.HTTP, proxy.address()));
            conn.setRequestProperty("Proxy-Authorization", basic("proxy-user", "wrong"));
            assertEquals(401, conn.getResponseCode());
            assertEquals("Basic realm=\"Tinyproxy\"", conn.getHeaderField("WWW-Authenticate"));
            assertTrue(conn.getHeaderField("Server").startsWith("tinyproxy/"), conn.getHeaderField("Server"));
            conn.disconnect();

            // the JDK HttpClient with a proxy Authenticator sees that 401 as a server challenge
            HttpClient wrong = HttpClient.newBuilder().proxy(proxy.selector())
                    .authenticator(proxyAuth("proxy-user", "wrong")).build();
            try {
                HttpResponse<String> r = wrong.send(HttpRequest.newBuilder(repo.indexUri()).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("[tinyproxy] wrong credentials (HttpClient + Authenticator): " + r.statusCode()
                        + " " + r.headers().map());
            } catch (java.io.IOException e) {
                System.out.println("[tinyproxy] wrong credentials (HttpClient + Authenticator): " + e);
            }
        }
    }

    @Test
    void connectWithProxyAuth() throws Exception {
        try (NginxChartRepository repo = NginxChartRepository.startMutualTlsOrSkip();
             ForwardProxy proxy = ForwardProxy.startWithAuthOrSkip("proxy-user", "Proxy-pw1")) {
            assertEquals("HTTP/1.0 407", connect(proxy, repo.port(), null));
            assertEquals("HTTP/1.0 200", connect(proxy, repo.port(), basic("proxy-user", "Proxy-pw1")));
            assertEquals("HTTP/1.0 401", connect(proxy, repo.port(), basic("proxy-user", "wrong")));

            // the JDK sends Basic proxy credentials in CONNECT only with -Djdk.http.auth.tunneling.disabledSchemes=
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    "".equals(System.getProperty("jdk.http.auth.tunneling.disabledSchemes")),
                    "HttpClient CONNECT with proxy Basic auth needs -Djdk.http.auth.tunneling.disabledSchemes= "
                            + "in the test JVM's argLine");
            HttpClient c = HttpClient.newBuilder().proxy(proxy.selector()).sslContext(repo.pki().clientContext())
                    .authenticator(proxyAuth("proxy-user", "Proxy-pw1")).build();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(repo.indexUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
    }

    /** Sends a raw CONNECT and returns the status line's first two words. */
    static String connect(ForwardProxy proxy, int targetPort, String proxyAuthorization) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(proxy.address(), 2000);
            s.setSoTimeout(5000);
            String req = "CONNECT 127.0.0.1:" + targetPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + targetPort + "\r\n"
                    + (proxyAuthorization != null ? "Proxy-Authorization: " + proxyAuthorization + "\r\n" : "")
                    + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            int ch;
            while ((ch = s.getInputStream().read()) != -1 && ch != '\n') {
                line.append((char) ch);
            }
            String[] parts = line.toString().trim().split(" ");
            return parts[0] + " " + parts[1];
        }
    }
}
