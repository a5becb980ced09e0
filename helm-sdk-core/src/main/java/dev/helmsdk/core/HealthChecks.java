package dev.helmsdk.core;

import dev.helmsdk.api.HealthCheck;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** The built-in {@link HealthCheck}s. */
public final class HealthChecks {

    private HealthChecks() {
    }

    /** Runs the release's {@code helm test} hooks; healthy when every test passes. */
    public static HealthCheck helmTests() {
        return new HealthCheck() {
            @Override
            public Result check(Context context) {
                context.runHelmTests();
                return Result.pass();
            }

            @Override
            public String name() {
                return "helm-tests";
            }
        };
    }

    /**
     * GETs {@code url} until it answers 2xx, once a second, within the time left; unhealthy with
     * the last status (or error) seen when time runs out. The URL must be reachable from this JVM.
     */
    public static HealthCheck http(URI url) {
        Objects.requireNonNull(url, "url");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new HealthCheck() {
            @Override
            public Result check(Context context) throws InterruptedException {
                long deadline = System.nanoTime() + context.timeLeft().toNanos();
                String last = "no answer";
                do {
                    try {
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            return Result.pass();
                        }
                        last = "HTTP " + r.statusCode();
                    } catch (IOException e) {
                        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    }
                    Thread.sleep(Math.min(1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
                } while (System.nanoTime() < deadline);
                return Result.fail("GET " + url + " did not answer 2xx within " + context.timeLeft() + "; last: " + last);
            }

            @Override
            public String name() {
                return "http " + url;
            }
        };
    }
}
