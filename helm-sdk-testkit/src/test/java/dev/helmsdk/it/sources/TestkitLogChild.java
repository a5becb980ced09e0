package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.auth.KubernetesSecretCredentialProvider;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM with every logger at DEBUG (the testkit's and fabric8's mock server at TRACE) by
 * {@link ChartSourceCanaryTest}: works Secrets through {@link EmbeddedKubernetes} the ways a user's test does
 * (a credential Secret created, read, listed, edited, read by a credential provider, deleted; Helm release records
 * written, read and deleted by the SDK), then writes every value the store held in Secrets to {@code args[1]} for
 * the parent to look for in this process's output. Arguments: the secret value, the output file, the chart.
 */
public final class TestkitLogChild {

    private TestkitLogChild() {
    }

    public static void main(String[] args) throws Exception {
        String secret = args[0];
        Path out = Path.of(args[1]);
        ChartRef chart = ChartRef.local(Path.of(args[2]));
        List<String> stored = new ArrayList<>();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start()) {
            KubernetesClient client = cluster.client();
            client.secrets().inNamespace("default").resource(new SecretBuilder()
                    .withNewMetadata().withName("registry-login").endMetadata()
                    .addToData("username", b64("canary-user")).addToData("password", b64(secret))
                    .addToStringData("token", secret).build()).create();
            client.secrets().inNamespace("default").withName("registry-login").get();
            client.secrets().inNamespace("default").list();
            client.secrets().inNamespace("default").withName("registry-login")
                    .edit(s -> new SecretBuilder(s).addToData("previous", b64(secret + "-old")).build());
            KubernetesSecretCredentialProvider.builder(client)
                    .secret(URI.create("https://charts.example.com"), "default", "registry-login").build()
                    .resolve(URI.create("https://charts.example.com/stable"), CredentialContext.empty()).orElseThrow();
            try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
                helm.install("canary").chart(chart).set("password", secret).run();
                helm.upgrade("canary").chart(chart).reuseValues().set("password", secret + "-2").run();
                helm.status("canary").run();
                helm.history("canary").run();
                helm.values("canary").run();
                for (Secret s : client.secrets().inAnyNamespace().list().getItems()) {
                    stored.addAll(s.getData() == null ? List.of() : s.getData().values());
                    s.getData().values().forEach(v -> stored.add(new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
                }
                helm.uninstall("canary").run();
            }
            client.secrets().inNamespace("default").withName("registry-login").delete();
        }
        Files.write(out, stored.stream().filter(v -> v.length() >= 12).map(v -> v.replace('\n', ' ')).toList());
        System.out.println("CHILD-DONE " + Map.of("storedValues", stored.size()));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
