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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-registry with {@code auth: token} and the JDK-only {@link OciTokenIssuer}: Helm login, push, template. */
@Tag("integration")
class OciTokenAuthTest {

    @Test
    void tokenAuthRightAndWrongCredentials(@TempDir Path tmp) throws Exception {
        Path archive = SourceCharts.packageInto(tmp.resolve("pkg"));
        try (OciRegistryServer registry = OciRegistryServer.startTokenAuthTlsOrSkip("token-user", "Tok3n-pw")) {
            Path ca = registry.pki().caCert();
            HttpResponse<String> v2 = HttpClient.newBuilder().sslContext(registry.pki().trustingContext()).build()
                    .send(HttpRequest.newBuilder(registry.apiUri()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, v2.statusCode());
            String challenge = v2.headers().firstValue("WWW-Authenticate").orElse("");
            System.out.println("[oci token] challenge: " + challenge);
            assertTrue(challenge.startsWith("Bearer realm=\"" + registry.tokenIssuer().realm() + "\""), challenge);

            Exception wrong = assertThrows(Exception.class, () -> Helm.registry().login().withHost(registry.host())
                    .withUsername("token-user").withPassword("wrong-pw").withCaFile(ca).call());
            System.out.println("[oci token] login with wrong password: " + wrong);
            assertTrue(registry.tokenIssuer().requestsRefused() > 0);

            String login = Helm.registry().login().withHost(registry.host()).withUsername("token-user")
                    .withPassword("Tok3n-pw").withCaFile(ca).call();
            System.out.println("[oci token] login: " + login);
            try {
                String pushed = Helm.push().withChart(archive).withRemote(registry.ociUri("charts")).withCaFile(ca)
                        .call();
                System.out.println("[oci token] push: " + pushed);
                String manifest = Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME)
                        .withVersion(SourceCharts.VERSION).withName("web").withCaFile(ca).call();
                assertTrue(manifest.contains("kind:"), manifest);

                // rotated password: the stored (old) credentials are refused by the issuer
                registry.tokenIssuer().changePassword("Rotated-pw");
                Exception stale = assertThrows(Exception.class, () ->
                        Helm.template(registry.ociUri("charts") + "/" + SourceCharts.NAME)
                                .withVersion(SourceCharts.VERSION).withName("web").withCaFile(ca).call());
                System.out.println("[oci token] template with rotated-away password: " + stale);
            } finally {
                Helm.registry().logout().withHost(registry.host()).call();
            }
            assertTrue(registry.tokenIssuer().tokensIssued() > 0);
        }
    }
}
