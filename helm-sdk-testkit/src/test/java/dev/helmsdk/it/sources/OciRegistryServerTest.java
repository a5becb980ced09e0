package dev.helmsdk.it.sources;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushes sdk-web to a real docker-registry and templates it back from {@code oci://}. */
@Tag("integration")
class OciRegistryServerTest {

    @Test
    void plainHttpNoAuthPushAndTemplate(@TempDir Path tmp) throws Exception {
        Path archive = SourceCharts.packageInto(tmp.resolve("pkg"));
        try (OciRegistryServer registry = OciRegistryServer.startPlainOrSkip()) {
            HttpResponse<String> v2 = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(registry.apiUri()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, v2.statusCode());

            String pushed = Helm.push().withChart(archive).withRemote(registry.ociUri("charts")).plainHttp().call();
            System.out.println("[oci plain] push: " + pushed);

            String manifest = Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME)
                    .withVersion(SourceCharts.VERSION).withName("web").plainHttp().call();
            assertTrue(manifest.contains("kind: Deployment") || manifest.contains("kind:"), manifest);
        }
    }

    @Test
    void htpasswdOverTlsRightAndWrongCredentials(@TempDir Path tmp) throws Exception {
        Path archive = SourceCharts.packageInto(tmp.resolve("pkg"));
        try (OciRegistryServer registry = OciRegistryServer.startHtpasswdTlsOrSkip("helm-user", "s3cr3t-Right")) {
            Path ca = registry.pki().caCert();
            HttpClient trusting = HttpClient.newBuilder().sslContext(registry.pki().trustingContext()).build();
            HttpResponse<String> v2 = trusting.send(HttpRequest.newBuilder(registry.apiUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, v2.statusCode());
            System.out.println("[oci tls] GET /v2/ without credentials: " + v2.statusCode() + " "
                    + v2.headers().firstValue("WWW-Authenticate").orElse(""));

            // wrong password: login fails
            Exception wrongLogin = assertThrows(Exception.class, () -> Helm.registry().login()
                    .withHost(registry.host()).withUsername("helm-user").withPassword("wrong-Pass")
                    .withCaFile(ca).call());
            System.out.println("[oci tls] login with wrong password: " + wrongLogin.getClass().getName() + ": "
                    + wrongLogin.getMessage());
            assertFalse(wrongLogin.getMessage().contains("wrong-Pass"));

            // unknown CA: login fails on TLS
            Exception unknownCa = assertThrows(Exception.class, () -> Helm.registry().login()
                    .withHost(registry.host()).withUsername("helm-user").withPassword("s3cr3t-Right").call());
            System.out.println("[oci tls] login without the CA: " + unknownCa.getClass().getName() + ": "
                    + unknownCa.getMessage());

            // right password: login, push, template back
            String login = Helm.registry().login().withHost(registry.host()).withUsername("helm-user")
                    .withPassword("s3cr3t-Right").withCaFile(ca).call();
            System.out.println("[oci tls] login: " + login);
            try {
                String pushed = Helm.push().withChart(archive).withRemote(registry.ociUri("charts"))
                        .withCaFile(ca).call();
                System.out.println("[oci tls] push: " + pushed);
                String manifest = Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME)
                        .withVersion(SourceCharts.VERSION).withName("web").withCaFile(ca).call();
                assertTrue(manifest.contains("kind:"), manifest);
            } finally {
                Helm.registry().logout().withHost(registry.host()).call();
            }

            // no stored credentials any more: pull fails with 401
            Exception anonymous = assertThrows(Exception.class, () ->
                    Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME)
                            .withVersion(SourceCharts.VERSION).withName("web").withCaFile(ca).call());
            System.out.println("[oci tls] template without credentials: " + anonymous.getClass().getName() + ": "
                    + anonymous.getMessage());

            // and push without credentials fails as well
            Exception anonymousPush = assertThrows(Exception.class, () -> Helm.push().withChart(archive)
                    .withRemote(registry.ociUri("charts")).withCaFile(ca).call());
            System.out.println("[oci tls] push without credentials: " + anonymousPush.getClass().getName() + ": "
                    + anonymousPush.getMessage());
        }
    }
}
