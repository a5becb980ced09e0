package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.utils.Utils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes a kubeconfig for Helm from a fabric8 {@link Config}, so that a manager built from a
 * fabric8 client talks to the same server with the same credentials through helm-java.
 *
 * <p>Credentials that expire stay live: Helm gets the kubeconfig's {@code exec} plugin or
 * {@code tokenFile} itself (client-go runs the plugin, caching its credential until it expires,
 * and re-reads the file), the in-cluster service account token as a {@code tokenFile}, and a
 * token from an {@link OAuthTokenProvider} asked for anew at every call. Only a token given as
 * such is written as it is.
 */
final class KubeConfigWriter {

    private KubeConfigWriter() {
    }

    /** How Helm reaches the cluster of {@code c}, with a credential current at each call. */
    public static KubeAccess forHelm(Config c, ObjectMapper yaml) {
        return forHelm(c, yaml, serviceAccountTokenFile());
    }

    /**
     * The fabric8 config of kubeconfig {@code text}, made to send a current credential: the user's
     * {@code exec} plugin's (run by the SDK, not by fabric8, which waits for it without limit: once
     * now within {@code start}, then again before the token expires, within the deadline
     * {@code deadlines} gives for the calling thread), or its {@code tokenFile}'s as it is at each
     * request (fabric8 ignores {@code tokenFile}).
     *
     * @param file  the file {@code text} was read from (relative paths are resolved against its
     *              directory), or {@code null} for text given as such
     * @param start the limit of the plugin's first run
     * @throws OperationTimeoutException    when the plugin's first run did not end within {@code start}
     * @throws ClusterCredentialException when it failed or gave no usable credential
     */
    public static Config load(String text, Path file, ObjectMapper yaml, Supplier<Optional<Deadline>> deadlines, Duration start) {
        Path baseDir = file == null ? null : file.getParent();
        KubeConfigUser.Live live = KubeConfigUser.live(text, baseDir, yaml);
        // Given a file, fabric8 reads the file (the exec stanza too), so a text without the stanza is given as text.
        Optional<String> withoutExec = KubeConfigUser.withoutExec(text, live, baseDir, yaml);
        Config c = withoutExec.isPresent() ? Config.fromKubeconfig(withoutExec.get())
                : file == null ? Config.fromKubeconfig(text) : Config.fromKubeconfig(null, text, file.toString());
        Deadline first = Deadline.after(start);
        try {
            KubeConfigUser.runExecPlugin(c, live, deadlines, first);
        } catch (ExecCredentialPlugin.Failure e) {
            if (first.expired()) {
                throw new OperationTimeoutException(Operation.CONFIGURE, null, start, "building the manager did not finish within "
                        + start + first.phase().map(p -> " (it was " + p + ")").orElse("") + "; the plugin was stopped", e);
            }
            throw KubeErrors.translate(Operation.CONFIGURE, null, e);
        }
        KubeConfigUser.readTokenFile(c, live);
        return c;
    }

    /**
     * {@code c}, a Config fabric8 found by itself, made to send the token of the user's
     * {@code tokenFile} as it is at each request (its {@code exec} plugin fabric8 runs again on a 401).
     */
    public static Config withLiveTokenFile(Config c, ObjectMapper yaml) {
        KubeConfigUser.readTokenFile(c, KubeConfigUser.live(c, yaml));
        return c;
    }

    /** As {@link #forHelm(Config, ObjectMapper)}, with the in-cluster token file at {@code serviceAccountToken}. */
    static KubeAccess forHelm(Config c, ObjectMapper yaml, Path serviceAccountToken) {
        Map<String, Object> user = new LinkedHashMap<>();
        putFirst(user, "client-certificate-data", c.getClientCertData(), "client-certificate", c.getClientCertFile());
        putFirst(user, "client-key-data", c.getClientKeyData(), "client-key", c.getClientKeyFile());
        if (c.getUsername() != null) {
            user.put("username", c.getUsername());
            user.put("password", c.getPassword());
        }
        OAuthTokenProvider provider = c.getOauthTokenProvider();
        if (provider != null) {
            // The provider is the caller's to cache; asked once per Helm call, as fabric8 asks per request.
            return KubeAccess.ofContents(() -> write(c, withToken(user, provider.getToken()), yaml));
        }
        KubeConfigUser.Live live = c.getOauthToken() == null ? KubeConfigUser.live(c, yaml) : KubeConfigUser.Live.NONE;
        if (live != KubeConfigUser.Live.NONE) {
            user.putAll(live.stanza());
        } else if (c.getOauthToken() == null && isServiceAccountToken(c.getAutoOAuthToken(), serviceAccountToken)) {
            user.put("tokenFile", serviceAccountToken.toAbsolutePath().toString());
        } else {
            String token = c.getOauthToken() != null ? c.getOauthToken() : c.getAutoOAuthToken();
            user.putAll(withToken(Map.of(), token));
        }
        return KubeAccess.ofContents(write(c, user, yaml));
    }

    private static Map<String, Object> withToken(Map<String, Object> user, String token) {
        Map<String, Object> copy = new LinkedHashMap<>(user);
        if (token != null && !token.isEmpty()) {
            copy.put("token", token);
        }
        return copy;
    }

    private static String write(Config c, Map<String, Object> user, ObjectMapper yaml) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", c.getMasterUrl());
        putFirst(cluster, "certificate-authority-data", c.getCaCertData(), "certificate-authority", c.getCaCertFile());
        if (c.isTrustCerts()) {
            cluster.put("insecure-skip-tls-verify", true);
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
            // Never e's message: it could quote the credential.
            throw new IllegalStateException("cannot write kubeconfig (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Where fabric8 reads the in-cluster token, as its {@code Config.autoConfigure} does. */
    private static Path serviceAccountTokenFile() {
        return Path.of(Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY,
                Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH));
    }

    /** Whether fabric8's token is the one in the service account token file (which the kubelet rotates). */
    private static boolean isServiceAccountToken(String token, Path file) {
        if (token == null || token.isEmpty() || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            return token.equals(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
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
