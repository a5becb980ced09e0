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

    /** The longest one request of {@link #http(URI)} may take. */
    private static final Duration PER_REQUEST = Duration.ofSeconds(5);

    private HealthChecks() {
    }

    /**
     * Runs the release's {@code helm test} hooks; healthy when every test passes. Unhealthy names each test that did
     * not succeed, with its phase and duration (never its logs, which may say anything: read them with
     * {@code test(name).lastResults()}).
     */
    public static HealthCheck helmTests() {
        return new HealthCheck() {
            @Override
            public Result check(Context context) {
                dev.helmsdk.api.TestReport report;
                try {
                    report = context.helmTestReport();
                } catch (UnsupportedOperationException notReported) {
                    context.runHelmTests();
                    return Result.pass();
                }
                return report.passed() ? Result.pass() : Result.fail("tests did not pass: "
                        + String.join(", ", report.failed().stream().map(Object::toString).toList()));
            }

            @Override
            public String name() {
                return "helm-tests";
            }
        };
    }

    /**
     * GETs {@code url} until it answers 2xx, once a second, within the time left; unhealthy with
     * the last status (or error) seen when time runs out. Each request ends within the time left
     * too (and after 5 s at most), so a server that accepts and never answers does not keep the
     * check past it. The URL must be reachable from this JVM.
     */
    public static HealthCheck http(URI url) {
        Objects.requireNonNull(url, "url");
        HttpClient client = HttpClient.newBuilder().connectTimeout(PER_REQUEST).build();
        return new HealthCheck() {
            @Override
            public Result check(Context context) throws InterruptedException {
                Duration limit = context.timeLeft();
                String last = "no answer";
                for (Duration left = limit; !left.isZero(); left = context.timeLeft()) {
                    boolean cut = left.compareTo(PER_REQUEST) < 0;
                    try {
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(cut ? left : PER_REQUEST)
                                .GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            return Result.pass();
                        }
                        last = "HTTP " + r.statusCode();
                    } catch (java.net.http.HttpTimeoutException e) {
                        // A last request cut short by the check's own limit says nothing new about the server.
                        if (!cut || last.equals("no answer")) {
                            last = "no answer within " + (cut ? left : PER_REQUEST);
                        }
                    } catch (IOException e) {
                        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    }
                    Thread.sleep(Math.min(1000, context.timeLeft().toMillis()));
                }
                return Result.fail("GET " + url + " did not answer 2xx within " + limit + "; last: " + last);
            }

            @Override
            public String name() {
                return "http " + url;
            }
        };
    }
}
