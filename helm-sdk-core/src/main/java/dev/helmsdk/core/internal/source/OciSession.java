package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.Credentials;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call's conversation with a registry: the Distribution spec's auth challenge. Basic
 * challenges are answered with the Basic credentials; Bearer challenges by asking the token
 * service named in the challenge (with the Basic credentials, or anonymously) for a pull token.
 * A bearer token from the credentials is sent as the registry token; when the registry refuses
 * it with a Bearer challenge, it is exchanged at the token service as an OAuth2 refresh token
 * (docker's {@code identitytoken}).
 */
final class OciSession {

    private static final String MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final SourceHttp http;
    private final ObjectMapper json;
    private final Operation op;
    private final String release;
    private final SourceAccess access;
    private final URI registry;
    private final String repository;
    private String authorization;
    private boolean refreshed;

    OciSession(SourceHttp http, ObjectMapper json, Operation op, String release, SourceAccess access, URI registry, String repository) {
        this.http = http;
        this.json = json;
        this.op = op;
        this.release = release;
        this.access = access;
        this.registry = registry;
        this.repository = repository;
        this.authorization = access.find(Credentials.BearerToken.class).map(t -> "Bearer " + t.token()).orElse(null);
    }

    SourceHttp.Authorizer authorizer() {
        // Blob downloads are often redirected to storage on another host, which must not get our token.
        return target -> SourceAccess.sameOrigin(target, registry) ? authorization : null;
    }

    List<String> tags() {
        List<String> all = new ArrayList<>();
        URI next = registry.resolve("/v2/" + repository + "/tags/list?n=1000");
        for (int page = 0; next != null && page < 100; page++) {
            SourceHttp.Response r = get(next, Map.of("Accept", "application/json"), "tag list");
            if (r.status() == 404) {
                throw new ChartNotFoundException(op, release, "chart oci://" + registry.getAuthority() + "/" + repository
                        + " not found in the registry (tag list answered 404)", null);
            }
            try {
                for (JsonNode t : json.readTree(r.body()).path("tags")) {
                    all.add(t.asText());
                }
            } catch (IOException e) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "tag list of " + repository + " is not JSON: " + e.getMessage(), e);
            }
            next = nextPage(r);
        }
        return all;
    }

    private URI nextPage(SourceHttp.Response r) {
        String link = r.header("link");
        if (link == null) {
            return null;
        }
        Matcher m = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?").matcher(link);
        return m.find() ? r.uri().resolve(m.group(1)) : null;
    }

    /** The manifest by tag or digest; with {@code pinned}, its bytes must hash to that digest. */
    JsonNode manifest(String tagOrDigest, String pinned) {
        SourceHttp.Response r = get(registry.resolve("/v2/" + repository + "/manifests/" + tagOrDigest), Map.of("Accept", MANIFEST_ACCEPT), "manifest");
        if (r.status() == 404) {
            throw new ChartNotFoundException(op, release, "chart oci://" + registry.getAuthority() + "/" + repository
                    + " has no " + (pinned != null ? "manifest " + pinned : "version " + tagOrDigest.replace('_', '+'))
                    + " (manifest answered 404)", null);
        }
        String chart = "oci://" + registry.getAuthority() + "/" + repository;
        String actual = "sha256:" + Digests.sha256(r.body());
        if (pinned != null && !pinned.equals(actual)) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "manifest of " + chart + "@" + pinned + " has digest " + actual
                            + "; the registry returned something else than the pinned digest, nothing was installed", null);
        }
        // By tag, the digest the registry announces is the manifest's (as ORAS checks it for Helm): a changed body is refused.
        String announced = r.header("docker-content-digest");
        if (pinned == null && announced != null && announced.startsWith("sha256:") && !announced.equalsIgnoreCase(actual)) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "manifest of " + chart + ":" + tagOrDigest + " has digest " + actual + ", not the " + announced
                            + " the registry announced (Docker-Content-Digest): it was changed on the way; nothing was written", null);
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "manifest " + repository + ":" + tagOrDigest + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** A blob by its URI (2xx or 404). */
    SourceHttp.Response blob(URI uri) {
        return get(uri, Map.of(), "blob");
    }

    /** GET with the current authorization, answering one auth challenge; 2xx and 404 are returned. */
    private SourceHttp.Response get(URI uri, Map<String, String> headers, String what) {
        SourceHttp.Response r = http.get(uri, headers, access.tls, authorizer());
        if (r.status() == 401 && answer(r.header("www-authenticate"))) {
            r = http.get(uri, headers, access.tls, authorizer());
        }
        if (r.status() / 100 == 2 || r.status() == 404) {
            return r;
        }
        throw access.status(op, release, r, what);
    }

    /**
     * Sends a request with the current authorization, answering one auth challenge (a push asks
     * for a token with push scope); any status is returned, transport failures thrown.
     */
    SourceHttp.Response send(io.vertx.core.http.HttpMethod method, URI uri, Map<String, String> headers, byte[] body) {
        SourceHttp.Response r = http.send(method, uri, headers, body, access.tls, authorizer());
        if (r.status() == 401 && answer(r.header("www-authenticate"))) {
            r = http.send(method, uri, headers, body, access.tls, authorizer());
        }
        return r;
    }

    URI registry() {
        return registry;
    }

    String repository() {
        return repository;
    }

    /** Sets {@link #authorization} from a challenge; false when there is nothing (new) to answer with. */
    private boolean answer(String challenge) {
        if (challenge == null) {
            return false;
        }
        String scheme = challenge.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        Optional<Credentials.BasicAuth> basic = access.find(Credentials.BasicAuth.class);
        if (scheme.equals("basic")) {
            if (basic.isEmpty() || basic().equals(authorization)) {
                return false;
            }
            authorization = basic();
            return true;
        }
        if (!scheme.equals("bearer")) {
            return false;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            return false;
        }
        String scope = params.getOrDefault("scope", "repository:" + repository + ":pull");
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) {
            q.append("service=").append(java.net.URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI tokenUri = URI.create(q.toString());
        Optional<Credentials.BearerToken> identity = access.find(Credentials.BearerToken.class);
        SourceHttp.Response t;
        if (identity.isPresent() && basic.isEmpty()) {
            if (refreshed) {
                return false;
            }
            // The token was refused as a registry token: it is an identity (OAuth2 refresh) token,
            // as docker's identitytoken is; exchange it as docker does.
            refreshed = true;
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", identity.get().token());
            form.put("client_id", "helm-sdk");
            if (params.containsKey("service")) {
                form.put("service", params.get("service"));
            }
            form.put("scope", scope);
            t = http.postForm(URI.create(realm), form, access.tls);
        } else {
            String login = basic.map(SourceAccess::basic).orElse(null);
            t = http.get(tokenUri, Map.of("Accept", "application/json"), access.tls, target -> login);
        }
        if (t.status() != 200) {
            throw access.status(op, release, t, "registry token service");
        }
        try {
            JsonNode body = json.readTree(t.body());
            String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
            if (token == null || token.isBlank()) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "registry token service " + realm + " returned no token", null);
            }
            String next = "Bearer " + token;
            if (next.equals(authorization)) {
                return false;
            }
            authorization = next;
            return true;
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "registry token service " + realm + " answered with something that is not JSON", e);
        }
    }

    private String basic() {
        return access.find(Credentials.BasicAuth.class).map(SourceAccess::basic).orElse(null);
    }
}
