package dev.helmsdk.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A check that a deployed release works, run after its resources are ready when given to
 * {@link DeployRequest#healthCheck(HealthCheck)}. A failing check fails the install or upgrade
 * (and, with {@code rollbackOnFailure()}, rolls it back). Built-in checks: an HTTP probe and the
 * release's {@code helm test} hooks ({@code dev.helmsdk.core.HealthChecks}); implement this
 * interface for your own.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Checks the release. Throwing counts as unhealthy, with the exception's message.
     *
     * @param context the release just deployed, the time left, and what the engine offers checks
     */
    Result check(Context context) throws Exception;

    /** A name for messages and logs; defaults to the class name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** What a check gets to work with. */
    interface Context {
        /** The revision just deployed. */
        Release release();

        /**
         * Time left within the readiness limit (and the operation's own), as it is at this call;
         * checks should finish within it and bound what they send by it.
         */
        Duration timeLeft();

        /**
         * Runs the release's {@code helm test} hooks and throws a {@link HelmSdkException} if one
         * fails or they do not finish within {@link #timeLeft()}.
         */
        void runHelmTests();

        /**
         * Runs the release's {@code helm test} hooks within {@link #timeLeft()} and reports each test (phase, times,
         * the tail of its logs), a failing test included; throws only when they cannot run. The default refuses, for
         * contexts of engines that cannot report per test.
         */
        default TestReport helmTestReport() {
            throw new UnsupportedOperationException("this context reports no per-test results; use runHelmTests()");
        }
    }

    /**
     * The outcome of a check.
     *
     * @param healthy whether the release passed
     * @param detail  why not, or what was seen; never a secret
     */
    record Result(boolean healthy, String detail) {
        /** Requires a detail, possibly empty. */
        public Result {
            detail = Objects.requireNonNullElse(detail, "");
        }

        /** Passed. */
        public static Result pass() {
            return new Result(true, "");
        }

        /** Failed, with why. */
        public static Result fail(String detail) {
            return new Result(false, detail);
        }
    }
}
