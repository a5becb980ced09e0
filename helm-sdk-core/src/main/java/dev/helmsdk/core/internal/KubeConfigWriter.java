package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a kubeconfig for Helm from a fabric8 {@link Config}, so that a manager built from a
 * fabric8 client talks to the same server with the same credentials through helm-java.
 */
public final class KubeConfigWriter {

    private KubeConfigWriter() {
    }

    public static String write(Config c, ObjectMapper yaml) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", c.getMasterUrl());
        putFirst(cluster, "certificate-authority-data", c.getCaCertData(), "certificate-authority", c.getCaCertFile());
        if (c.isTrustCerts()) {
            cluster.put("insecure-skip-tls-verify", true);
        }
        Map<String, Object> user = new LinkedHashMap<>();
        putFirst(user, "client-certificate-data", c.getClientCertData(), "client-certificate", c.getClientCertFile());
        putFirst(user, "client-key-data", c.getClientKeyData(), "client-key", c.getClientKeyFile());
        String token = c.getAutoOAuthToken() != null ? c.getAutoOAuthToken() : c.getOauthToken();
        if (token != null) {
            user.put("token", token);
        }
        if (c.getUsername() != null) {
            user.put("username", c.getUsername());
            user.put("password", c.getPassword());
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cluster", "helm-sdk");
        context.put("user", "helm-sdk");
        if (c.getNamespace() != null) {
            context.put("namespace", c.getNamespace());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("clusters", List.of(Map.of("name", "helm-sdk", "cluster", cluster)));
        root.put("users", List.of(Map.of("name", "helm-sdk", "user", user)));
        root.put("contexts", List.of(Map.of("name", "helm-sdk", "context", context)));
        root.put("current-context", "helm-sdk");
        try {
            return yaml.writeValueAsString(root);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write kubeconfig", e);
        }
    }

    private static void putFirst(Map<String, Object> m, String dataKey, String data, String fileKey, String file) {
        if (data != null && !data.isBlank()) {
            m.put(dataKey, data);
        } else if (file != null && !file.isBlank()) {
            m.put(fileKey, file);
        }
    }
}
