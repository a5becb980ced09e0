package dev.helmsdk.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses docker {@code config.json} / Helm {@code registry/config.json} / {@code .dockerconfigjson}.
 * Entries of {@code auths} are matched on host[:port] only (docker ignores the path of keys such as
 * {@code https://index.docker.io/v1/}). Per entry: {@code auth} (base64 {@code user:pass}) or
 * {@code username}/{@code password} give {@link Credentials.BasicAuth}; {@code registrytoken} and
 * {@code identitytoken} give {@link Credentials.BearerToken} (an identity token is an OAuth2 refresh
 * token for the registry's token endpoint: the engine must use it in the token flow).
 * Error messages name the file and key, never a value.
 */
final class DockerConfig {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String origin;
    private final Map<String, JsonNode> auths;
    private final List<String> unsupported;

    private DockerConfig(String origin, Map<String, JsonNode> auths, List<String> unsupported) {
        this.origin = origin;
        this.auths = auths;
        this.unsupported = unsupported;
    }

    /** Parses {@code json}; {@code origin} names the file or Secret in messages. */
    public static DockerConfig parse(byte[] json, String origin) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            // Jackson messages may quote the input; report only the position.
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() : "";
            throw new IllegalStateException(origin + " is not valid JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException(origin + " is not a JSON object");
        }
        Map<String, JsonNode> auths = new LinkedHashMap<>();
        JsonNode a = root.get("auths");
        if (a != null && a.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                auths.put(e.getKey(), e.getValue());
            }
        }
        List<String> unsupported = new ArrayList<>();
        if (root.hasNonNull("credsStore")) {
            unsupported.add("credsStore '" + root.get("credsStore").asText() + "'");
        }
        if (root.has("credHelpers") && root.get("credHelpers").size() > 0) {
            unsupported.add("credHelpers for " + iterableNames(root.get("credHelpers")));
        }
        return new DockerConfig(origin, auths, unsupported);
    }

    private static List<String> iterableNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The credentials of the entry matching {@code repository}, if any. */
    public Optional<List<Credentials>> credentialsFor(URI repository) {
        Optional<Map.Entry<String, JsonNode>> entry = RepositoryMatcher.bestMatch(
                        entriesByKey(), repository, true);
        return entry.map(e -> toCredentials(e.getKey(), e.getValue()));
    }

    private Map<String, Map.Entry<String, JsonNode>> entriesByKey() {
        Map<String, Map.Entry<String, JsonNode>> m = new LinkedHashMap<>();
        auths.entrySet().forEach(e -> m.put(e.getKey(), e));
        return m;
    }

    private List<Credentials> toCredentials(String key, JsonNode node) {
        List<Credentials> out = new ArrayList<>();
        String user = text(node, "username");
        String pass = text(node, "password");
        String auth = text(node, "auth");
        if (auth != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(origin + ": entry '" + key + "' has an 'auth' value that is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(origin + ": entry '" + key + "' has an 'auth' value that is not base64 of user:password");
            }
            user = decoded.substring(0, colon);
            pass = decoded.substring(colon + 1);
        }
        if (user != null && !user.isEmpty() && pass != null) {
            out.add(new Credentials.BasicAuth(user, pass));
        }
        String registryToken = text(node, "registrytoken");
        if (registryToken != null && !registryToken.isBlank()) {
            out.add(new Credentials.BearerToken(registryToken));
        }
        String identityToken = text(node, "identitytoken");
        if (identityToken != null && !identityToken.isBlank()) {
            out.add(new Credentials.BearerToken(identityToken));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(origin + ": entry '" + key
                    + "' has no usable credentials (expected auth, username/password, registrytoken or identitytoken)");
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Why nothing matched: the keys present (host names are not secrets) and unsupported helpers. */
    public String explainMiss(URI repository) {
        StringBuilder sb = new StringBuilder(origin).append(" has no entry for ")
                .append(RepositoryMatcher.parse(repository).authority());
        sb.append(auths.isEmpty() ? " (no auths entries)" : " (entries: " + String.join(", ", auths.keySet()) + ")");
        if (!unsupported.isEmpty()) {
            sb.append("; not supported: ").append(String.join(", ", unsupported));
        }
        return sb.toString();
    }
}
