package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Vault's HTTP API for one store: {@code /v1/<path>} requests with the token and namespace headers,
 * each ended within the time left, and the documented statuses mapped to reasons. Nothing it
 * reports holds a token, a request body or a response body.
 */
final class VaultHttp {

    /** One answer: its status and its JSON body ({@link MissingNode} when it had none). */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The body of a 2xx answer, else the failure its status means, for {@code what} (e.g. "reading secret/app"). */
        JsonNode orFail(String product, String what) {
            if (ok()) {
                return body;
            }
            throw new VaultFailure(reasonOf(status), product + " answered HTTP " + status + " " + meaning(status) + " " + what);
        }

        @Override
        public String toString() {
            return "Response[" + status + "]";
        }
    }

    private final URI address;
    private final String namespace;
    private final String product;
    private final ObjectMapper json;
    private final HttpClient client;

    VaultHttp(VaultStore store, String product, ObjectMapper json) {
        this.address = store.address();
        this.namespace = store.namespace();
        this.product = product;
        this.json = json;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER); // a redirect would carry the token elsewhere
        if (store.caCert() != null || store.caPath() != null) {
            builder.sslContext(trusting(store.caCert(), store.caPath(), product));
        }
        this.client = builder.build();
    }

    String product() {
        return product;
    }

    /**
     * Sends one request and reads its answer, within {@code timeLeft}.
     *
     * @param method   GET or POST
     * @param path     the API path after {@code /v1/}, segments already encoded
     * @param query    the query without {@code ?}, or {@code null}
     * @param token    the token header, or {@code null} (logins)
     * @param body     the JSON body of a POST, or {@code null}
     * @param what     what the request is for, for messages ("reading secret/app")
     * @param timeLeft the operation's time left
     * @throws VaultFailure {@code TIMEOUT} when the time runs out, {@code UNREACHABLE} when the server cannot be reached
     */
    Response send(String method, String path, String query, String token, Map<String, ?> body, String what, Supplier<Duration> timeLeft) {
        Duration left = timeLeft.get();
        if (left.isZero() || left.isNegative()) {
            throw new VaultFailure(Reason.TIMEOUT, "no time left for " + what);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path + (query == null ? "" : "?" + query)))
                .timeout(left).header("Accept", "application/json");
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write a JSON body", e); // a Map of strings always serializes
            }
        }
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers the answer's headers; this bound covers the whole exchange.
            response = answer.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw timeout(what, left);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new VaultFailure(Reason.TIMEOUT, "interrupted while " + what);
        } catch (ExecutionException e) {
            throw failure(e.getCause(), what, left);
        }
        return new Response(response.statusCode(), parse(response.body()));
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance(); // a proxy's HTML error page: the status tells what happened
        }
    }

    private VaultFailure failure(Throwable cause, String what, Duration left) {
        if (cause instanceof HttpTimeoutException) {
            return timeout(what, left);
        }
        if (cause instanceof SSLException) {
            return new VaultFailure(Reason.UNREACHABLE, "TLS with " + address + " failed while " + what + " ("
                    + cause.getClass().getSimpleName() + "); if its certificate is signed by a private CA, point "
                    + (product.equals("OpenBao") ? "BAO_CACERT" : "VAULT_CACERT") + " at that CA's PEM file");
        }
        if (cause instanceof ConnectException) {
            return new VaultFailure(Reason.UNREACHABLE, "cannot connect to " + product + " at " + address + " while " + what);
        }
        return new VaultFailure(Reason.UNREACHABLE, "the connection to " + product + " at " + address + " failed while " + what
                + " (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")");
    }

    private VaultFailure timeout(String what, Duration left) {
        return new VaultFailure(Reason.TIMEOUT, product + " at " + address + " did not answer within " + left.toMillis() + " ms while " + what);
    }

    /** Vault's documented statuses: 400 invalid request, 403 forbidden (also a bad token), 404, 429, 5xx, 503 sealed. */
    static Reason reasonOf(int status) {
        return switch (status) {
            case 400, 405 -> Reason.INVALID_REFERENCE;
            case 401, 403 -> Reason.DENIED;
            case 404 -> Reason.NOT_FOUND;
            default -> Reason.UNREACHABLE;
        };
    }

    private static String meaning(int status) {
        return switch (status) {
            case 400 -> "(invalid request) to";
            case 401, 403 -> "(permission denied) to";
            case 404 -> "(not found) to";
            case 412 -> "(not yet consistent, retry) to";
            case 429 -> "(rate limited) to";
            case 503 -> "(sealed, or in maintenance) to";
            default -> status >= 500 ? "(server error) to" : "to";
        };
    }

    /** Trust exactly the CAs of {@code caCert} and {@code caPath}, as the vault CLI does with VAULT_CACERT/VAULT_CAPATH. */
    private static SSLContext trusting(Path caCert, Path caPath, String product) {
        List<Path> files = new ArrayList<>();
        if (caCert != null) {
            files.add(caCert);
        }
        if (caPath != null) {
            try (Stream<Path> list = Files.list(caPath)) {
                list.filter(Files::isRegularFile).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new VaultFailure(Reason.INVALID_REFERENCE, "cannot list the " + product + " CA directory " + caPath);
            }
        }
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate certificate : x509.generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + n++, certificate);
                    }
                } catch (IOException | GeneralSecurityException e) {
                    throw new VaultFailure(Reason.INVALID_REFERENCE, "cannot read the " + product + " CA certificate(s) in " + file
                            + ": expected PEM (" + e.getClass().getSimpleName() + ")");
                }
            }
            if (n == 0) {
                throw new VaultFailure(Reason.INVALID_REFERENCE, "no CA certificate in " + files + ": expected PEM");
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, managers.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a TLS context", e);
        }
    }

    /** {@code segment} %-encoded for a URL path (Vault paths are text: spaces and the like are legal in names). */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "VaultHttp[" + address + "]";
    }
}
