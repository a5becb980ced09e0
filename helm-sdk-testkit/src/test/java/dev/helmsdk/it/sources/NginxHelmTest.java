package dev.helmsdk.it.sources;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Helm (helm-java) fetching the chart archive by URL from the nginx repository: the texts of its errors. */
@Tag("integration")
class NginxHelmTest {

    @Test
    void mutualTlsWithHelm(@TempDir Path tmp) {
        try (NginxChartRepository repo = NginxChartRepository.startMutualTlsOrSkip()) {
            TestPki pki = repo.pki();
            String url = repo.archiveUri().toString();
            String out = Helm.template(url).withName("web").withCaFile(pki.caCert())
                    .withCertFile(pki.clientCert()).withKeyFile(pki.clientKey()).call();
            assertTrue(out.contains("kind:"), out);

            Exception noCert = assertThrows(Exception.class,
                    () -> Helm.template(url).withName("web").withCaFile(pki.caCert()).call());
            System.out.println("[helm mtls] no client certificate: " + noCert);

            TestPki stranger = TestPki.generate(tmp.resolve("stranger"), "stranger-ca");
            Exception foreign = assertThrows(Exception.class, () -> Helm.template(url).withName("web")
                    .withCaFile(pki.caCert()).withCertFile(stranger.clientCert()).withKeyFile(stranger.clientKey())
                    .call());
            System.out.println("[helm mtls] foreign client certificate: " + foreign);

            Exception unknownCa = assertThrows(Exception.class, () -> Helm.template(url).withName("web")
                    .withCertFile(pki.clientCert()).withKeyFile(pki.clientKey()).call());
            System.out.println("[helm mtls] server CA not trusted: " + unknownCa);
        }
    }

    @Test
    void basicAuthRepositoryWithoutCredentials() {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(true, "repo-user", "Right-pw1")) {
            Exception e = assertThrows(Exception.class, () -> Helm.template(repo.archiveUri().toString())
                    .withName("web").withCaFile(repo.pki().caCert()).call());
            System.out.println("[helm basic] no credentials: " + e);
        }
    }

    @Test
    void bearerRepositoryWithoutToken() {
        try (NginxChartRepository repo = NginxChartRepository.startBearerTokenOrSkip(false, "tok-1")) {
            Exception e = assertThrows(Exception.class, () -> Helm.template(repo.archiveUri().toString())
                    .withName("web").plainHttp().call());
            System.out.println("[helm bearer] no token: " + e);
        }
    }
}
