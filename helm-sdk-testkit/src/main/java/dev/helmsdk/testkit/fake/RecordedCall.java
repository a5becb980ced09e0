package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation the {@link FakeHelmManager} carried out, as the code under test asked for it. Values
 * are shown as given: a secret reference ({@code ref+vault://...}) stays the reference, since the
 * fake resolves nothing.
 *
 * @param operation the operation
 * @param release   the release, or {@code null} for a listing or a lint
 * @param namespace the namespace, or {@code null} for a listing of all namespaces or a lint
 * @param chart     the chart, or {@code null} for operations that take none
 * @param given     the values as the request held them (files, maps and assignments, in order)
 * @param values    the user values they merge into (files read, assignments applied); empty when
 *                  none were given or they could not be read
 * @param automatic {@code true} for the rollback or uninstall the fake ran itself because a failed
 *                  change asked for {@code rollbackOnFailure()}
 * @param error     how the operation failed, or {@code null} when it succeeded
 * @param actor     who asked ({@link dev.helmsdk.api.HelmManager#withActor}); empty when nobody was named
 */
public record RecordedCall(Operation operation, String release, String namespace, ChartRef chart, Values given,
                           Map<String, Object> values, boolean automatic, HelmSdkException error, String actor) {

    /** Requires operation, given values, values and actor; the others may be {@code null} as documented. */
    public RecordedCall {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(values, "values");
    }

    /** How the operation failed; empty when it succeeded. */
    public Optional<HelmSdkException> failure() {
        return Optional.ofNullable(error);
    }

    /** Whether the operation succeeded. */
    public boolean succeeded() {
        return error == null;
    }

    /** Never the values, which may hold secrets: only their keys. */
    @Override
    public String toString() {
        return operation.tag() + (release == null ? "" : " " + (namespace == null ? "" : namespace + "/") + release)
                + (chart == null ? "" : " chart " + chart.describe()) + (values.isEmpty() ? "" : " values " + values.keySet())
                + (automatic ? " (automatic)" : "") + (actor.isEmpty() ? "" : " by " + actor) + (error == null ? "" : " -> " + error.getClass().getSimpleName());
    }
}
