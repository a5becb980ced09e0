package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.OAuthTokenProvider;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The credentials of a kubeconfig's current user that change while a manager lives: an
 * {@code exec} plugin and a {@code tokenFile}. fabric8's {@link Config} keeps only the token
 * they gave when it was loaded, so they are read again from the kubeconfig itself.
 */
final class KubeConfigUser {

    /**
     * The live part of a user.
     *
     * @param stanza    the {@code exec} and {@code tokenFile} entries, paths made absolute, for a kubeconfig
     * @param tokenFile the token file, or {@code null}
     */
    record Live(Map<String, Object> stanza, Path tokenFile) {
        static final Live NONE = new Live(Map.of(), null);

        Live {
            stanza = Map.copyOf(stanza);
        }
    }

    private KubeConfigUser() {
    }

    /** The live credentials of {@code c}'s user, read from the kubeconfig file fabric8 took the user from. */
    static Live live(Config c, ObjectMapper yaml) {
        File file = c.getFileWithAuthInfo();
        NamedContext context = c.getCurrentContext();
        if (file == null || context == null || context.getContext() == null || context.getContext().getUser() == null) {
            return Live.NONE;
        }
        try {
            JsonNode root = yaml.readTree(Files.readString(file.toPath(), StandardCharsets.UTF_8));
            return live(user(root, context.getContext().getUser()), file.getAbsoluteFile().toPath().getParent());
        } catch (IOException | RuntimeException e) {
            return Live.NONE;   // fabric8 read this file a moment ago; without it the token fabric8 holds is used
        }
    }

    /** The live credentials of the current context's user in kubeconfig {@code text} (relative paths: from {@code baseDir}). */
    static Live live(String text, Path baseDir, ObjectMapper yaml) {
        try {
            JsonNode root = yaml.readTree(text);
            String contextName = root.path("current-context").asText("");
            for (JsonNode ctx : root.path("contexts")) {
                if (contextName.equals(ctx.path("name").asText())) {
                    return live(user(root, ctx.path("context").path("user").asText("")), baseDir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fabric8 reports a kubeconfig it cannot read; nothing live in it
        }
        return Live.NONE;
    }

    /**
     * Gives fabric8 the token of the user's {@code tokenFile}, read again at every request, when
     * nothing else authenticates it (fabric8 ignores {@code tokenFile}).
     */
    static void readTokenFile(Config c, Live live) {
        if (live.tokenFile() != null && c.getOauthTokenProvider() == null && isEmpty(c.getOauthToken())
                && isEmpty(c.getAutoOAuthToken())) {
            c.setOauthTokenProvider(new TokenFile(live.tokenFile()));
        }
    }

    /**
     * Runs the user's {@code exec} plugin, which fabric8 was kept from running ({@link #withoutExec}:
     * it would wait for it without limit), once within {@code start}. Its token is then fabric8's,
     * kept and renewed before it expires within the deadline {@code deadlines} gives for the calling
     * thread; a client certificate it gives instead goes into the connection's TLS, as fabric8
     * would put it, and no token is sent (fabric8 would otherwise run the plugin again, without
     * limit, each minute, for a token it does not have).
     */
    static void runExecPlugin(Config c, Live live, Supplier<Optional<Deadline>> deadlines, Deadline start) {
        if (live.stanza().get("exec") instanceof ObjectNode exec && c.getOauthTokenProvider() == null && isEmpty(c.getOauthToken())) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("server", c.getMasterUrl());
            if (!isEmpty(c.getCaCertData())) {
                cluster.put("certificate-authority-data", c.getCaCertData());
            }
            cluster.put("insecure-skip-tls-verify", c.isTrustCerts());
            ExecCredentialPlugin plugin = ExecCredentialPlugin.of(exec, cluster, deadlines);
            Optional<ExecCredentialPlugin.ClientCertificate> certificate = plugin.start(start);
            if (certificate.isEmpty()) {
                c.setOauthTokenProvider(plugin);
            } else {
                c.setClientCertData(certificate.get().certificateData());
                c.setClientKeyData(certificate.get().keyData());
                c.setOauthTokenProvider(() -> null);
            }
        }
    }

    /**
     * Kubeconfig {@code text} without the current user's {@code exec} stanza, or empty when it has
     * none, for fabric8 to load: fabric8 runs the plugin while loading and waits for it without a
     * time limit, so the SDK runs it instead ({@link #runExecPlugin}). Relative file paths in it are
     * made absolute against {@code baseDir} (when given), as fabric8 would resolve them in the file.
     */
    static Optional<String> withoutExec(String text, Live live, Path baseDir, ObjectMapper yaml) {
        if (!(live.stanza().get("exec") instanceof ObjectNode)) {
            return Optional.empty();
        }
        try {
            JsonNode root = yaml.readTree(text);
            String contextName = root.path("current-context").asText("");
            for (JsonNode ctx : root.path("contexts")) {
                if (contextName.equals(ctx.path("name").asText())
                        && user(root, ctx.path("context").path("user").asText("")) instanceof ObjectNode u) {
                    u.remove("exec");
                }
            }
            if (baseDir != null) {
                root.path("clusters").forEach(c -> absolute(c.path("cluster"), baseDir, "certificate-authority"));
                root.path("users").forEach(u -> absolute(u.path("user"), baseDir, "client-certificate", "client-key", "tokenFile"));
            }
            return Optional.of(yaml.writeValueAsString(root));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // unreadable: fabric8 reports it (KubeConfigUser.live found no plugin in it either)
        }
    }

    private static void absolute(JsonNode entry, Path baseDir, String... keys) {
        if (entry instanceof ObjectNode o) {
            for (String key : keys) {
                String path = o.path(key).asText("");
                if (!path.isEmpty() && !Path.of(path).isAbsolute()) {
                    o.put(key, baseDir.resolve(path).normalize().toString());
                }
            }
        }
    }

    private static JsonNode user(JsonNode root, String name) {
        for (JsonNode u : root.path("users")) {
            if (name.equals(u.path("name").asText())) {
                return u.path("user");
            }
        }
        return null;
    }

    private static Live live(JsonNode user, Path baseDir) {
        if (user == null || !user.isObject()) {
            return Live.NONE;
        }
        Map<String, Object> stanza = new LinkedHashMap<>();
        if (user.path("exec").isObject()) {
            ObjectNode exec = ((ObjectNode) user.get("exec")).deepCopy();
            String command = exec.path("command").asText("");
            // As client-go: a command with a separator is relative to the kubeconfig's directory.
            if (command.contains("/") && !Path.of(command).isAbsolute() && baseDir != null) {
                exec.put("command", baseDir.resolve(command).normalize().toString());
            }
            stanza.put("exec", exec);
        }
        Path tokenFile = null;
        String tf = user.path("tokenFile").asText("");
        if (!tf.isEmpty()) {
            tokenFile = baseDir != null ? baseDir.resolve(tf).normalize() : Path.of(tf).toAbsolutePath();
            stanza.put("tokenFile", tokenFile.toString());
        }
        return stanza.isEmpty() ? Live.NONE : new Live(stanza, tokenFile);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** A token file read at every request: the kubelet (or whoever rotates it) may replace it at any time. */
    private record TokenFile(Path file) implements OAuthTokenProvider {
        @Override
        public String getToken() {
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                return null;   // fabric8 then sends no token and the server says 401, naming no secret
            }
        }
    }
}
