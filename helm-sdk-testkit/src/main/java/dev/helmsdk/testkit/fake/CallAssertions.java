package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Fluent assertions over the calls a {@link FakeHelmManager} recorded, taken when
 * {@link FakeHelmManager#assertThat()} was called. {@link #ran} and {@link #then} find calls in
 * order (others may come between); the {@code with...} methods check the call found last. A failed
 * assertion is an {@link AssertionError} listing every recorded call (never their values).
 *
 * <pre>{@code
 * FakeHelmManager fake = FakeHelmManager.create();
 * // ... the code under test installs "web", then upgrades it with rollbackOnFailure(), and the upgrade fails
 * fake.assertThat().ran(Operation.INSTALL, "web").withValue("replicaCount", 2)
 *         .then(Operation.UPGRADE, "web").failedWith(AutoRollbackException.class)
 *         .then(Operation.ROLLBACK, "web").automatic();
 * }</pre>
 */
public final class CallAssertions {

    private final List<RecordedCall> calls;
    private int next;
    private RecordedCall current;

    CallAssertions(List<RecordedCall> calls) {
        this.calls = List.copyOf(calls);
    }

    /** A call of {@code operation} on {@code release} comes after the one found last (or is any, for the first). */
    public CallAssertions ran(Operation operation, String release) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        for (int i = next; i < calls.size(); i++) {
            RecordedCall c = calls.get(i);
            if (c.operation() == operation && release.equals(c.release())) {
                current = c;
                next = i + 1;
                return this;
            }
        }
        throw fail("no " + operation.tag() + " of '" + release + "'" + (next == 0 ? "" : " after call " + next));
    }

    /** The same as {@link #ran}: reads as "and then". */
    public CallAssertions then(Operation operation, String release) {
        return ran(operation, release);
    }

    /** No call of {@code operation} on {@code release} was recorded at all. */
    public CallAssertions never(Operation operation, String release) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        if (calls.stream().anyMatch(c -> c.operation() == operation && release.equals(c.release()))) {
            throw fail("a " + operation.tag() + " of '" + release + "' was recorded");
        }
        return this;
    }

    /** Exactly {@code times} calls of {@code operation} on {@code release} were recorded. */
    public CallAssertions ranTimes(Operation operation, String release, int times) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(release, "release");
        long n = calls.stream().filter(c -> c.operation() == operation && release.equals(c.release())).count();
        if (n != times) {
            throw fail(times + " " + operation.tag() + " call(s) of '" + release + "' expected, " + n + " recorded");
        }
        return this;
    }

    /**
     * The call found last had {@code expected} at {@code path} in its user values as given (a secret
     * reference is its {@code ref+...} text); {@code path} is dotted ({@code image.tag}); a
     * {@code null} {@code expected} means the value is absent or null.
     */
    public CallAssertions withValue(String path, Object expected) {
        Objects.requireNonNull(path, "path");
        Object actual = at(found().values(), path);
        if (!Objects.equals(actual, expected) && !(actual instanceof Number a && expected instanceof Number e
                && new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(e.toString())) == 0)) {
            // Values are never printed whole; the one asked about was named by the test itself.
            throw fail("the " + current.operation().tag() + " of '" + current.release() + "' had " + path + " = " + actual
                    + ", expected " + expected);
        }
        return this;
    }

    /** The call found last succeeded. */
    public CallAssertions succeeded() {
        if (!found().succeeded()) {
            throw fail("the " + current.operation().tag() + " of '" + current.release() + "' failed: " + current.error());
        }
        return this;
    }

    /** The call found last failed with an exception of {@code type} (or a subclass). */
    public CallAssertions failedWith(Class<? extends HelmSdkException> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isInstance(found().error())) {
            throw fail("the " + current.operation().tag() + " of '" + current.release() + "' should have failed with "
                    + type.getSimpleName() + ", but " + (current.error() == null ? "succeeded" : "failed with " + current.error()));
        }
        return this;
    }

    /** The call found last was run by the fake itself, to undo a failed change ({@code rollbackOnFailure()}). */
    public CallAssertions automatic() {
        if (!found().automatic()) {
            throw fail("the " + current.operation().tag() + " of '" + current.release() + "' was not an automatic undo");
        }
        return this;
    }

    /** The call found last was made for {@code actor} ({@link dev.helmsdk.api.HelmManager#withActor}). */
    public CallAssertions by(String actor) {
        Objects.requireNonNull(actor, "actor");
        if (!actor.equals(found().actor())) {
            throw fail("the " + current.operation().tag() + " of '" + current.release() + "' was made "
                    + (current.actor().isEmpty() ? "for nobody named" : "by '" + current.actor() + "'") + ", not by '" + actor + "'");
        }
        return this;
    }

    /** The call found last, for checks of one's own. */
    public RecordedCall call() {
        return found();
    }

    private RecordedCall found() {
        if (current == null) {
            throw new IllegalStateException("find a call with ran(...) first");
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> values, String path) {
        Object v = values;
        for (Object segment : Values.empty().set(path, null).sets().get(0).segments()) {
            if (segment instanceof String key && v instanceof Map<?, ?> m) {
                v = ((Map<String, Object>) m).get(key);
            } else if (segment instanceof Integer i && v instanceof List<?> l && i < l.size()) {
                v = l.get(i);
            } else {
                return null;
            }
        }
        return v;
    }

    private AssertionError fail(String what) {
        String all = calls.isEmpty() ? "  (none)" : calls.stream().map(c -> "  " + c).collect(Collectors.joining("\n"));
        return new AssertionError(what + "; recorded calls:\n" + all);
    }
}
