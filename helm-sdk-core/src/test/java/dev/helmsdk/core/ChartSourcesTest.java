package dev.helmsdk.core;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.auth.CredentialChain;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartSourcesTest {

    @Test
    void defaultsAreSafe() {
        ChartSources d = ChartSources.defaults();
        assertInstanceOf(CredentialChain.class, d.credentials(), "the discovered chain");
        assertTrue(d.httpsProxy().isEmpty() && d.httpProxy().isEmpty());
        assertTrue(d.insecureHosts().isEmpty() && d.plainHttpHosts().isEmpty());
        assertEquals(Duration.ofSeconds(60), d.indexCacheTtl());
    }

    @Test
    void proxyFromTheEnvironmentTakesCredentialsFromTheUrlAndNeverShowsThem() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://proxy-user:S3cret%40pw@proxy.corp:3128",
                "http_proxy", "proxy.corp:8080", "no_proxy", "localhost, .svc,10.0.0.0/8");
        ChartSources s = ChartSources.builder().proxyFrom(env::get).build();
        ChartSources.Proxy https = s.httpsProxy().orElseThrow();
        assertEquals(URI.create("http://proxy.corp:3128"), https.uri());
        assertEquals("proxy-user", https.username());
        assertEquals("S3cret@pw", https.password());
        assertEquals(URI.create("http://proxy.corp:8080"), s.httpProxy().orElseThrow().uri());
        assertEquals(java.util.List.of("localhost", ".svc", "10.0.0.0/8"), s.noProxy());
        assertFalse(s.toString().contains("S3cret"), s.toString());
        assertFalse(https.toString().contains("S3cret"), https.toString());
    }

    @Test
    void badSettingsAreRejectedWithTheReason() {
        InvalidRequestException inUrl = assertThrows(InvalidRequestException.class,
                () -> ChartSources.builder().proxy(URI.create("http://u:Pw-in-url@proxy:3128")));
        assertTrue(inUrl.getMessage().contains("proxyCredentials"), inUrl.getMessage());
        assertFalse(inUrl.getMessage().contains("Pw-in-url"), inUrl.getMessage());
        assertThrows(InvalidRequestException.class, () -> ChartSources.builder().proxy(URI.create("socks5://proxy:1080")));
        assertThrows(InvalidRequestException.class, () -> ChartSources.builder().proxyCredentials("u", "p"));
        assertThrows(InvalidRequestException.class, () -> ChartSources.builder().plainHttp("http://host/path"));
        assertThrows(InvalidRequestException.class, () -> ChartSources.builder().indexCacheTtl(Duration.ofSeconds(-1)));
        assertThrows(InvalidRequestException.class, () -> ChartSources.builder().indexCacheSize(0));
        InvalidRequestException ca = assertThrows(InvalidRequestException.class, () -> ChartSources.builder().trustedCertificatesPem("junk"));
        assertTrue(ca.getMessage().contains("BEGIN CERTIFICATE"), ca.getMessage());
    }
}
