package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Values;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one engine call: merges its values (as the real manager does first, so a bad values file
 * fails before anything else), records it, applies the injected slowdown within the call's limit,
 * and notes how it ended.
 */
final class Calls {

    private final CallLog log;
    private final FaultBook faults;
    /** Who the calls are for: empty unless made through a {@code withActor} view. */
    private final String actor;

    Calls(CallLog log, FaultBook faults, String actor) {
        this.log = log;
        this.faults = faults;
        this.actor = actor;
    }

    <T> T run(Operation op, String release, String namespace, ChartRef chart, Values given, boolean automatic, Duration limit,
              Function<Map<String, Object>, T> body) {
        Map<String, Object> values = Map.of();
        HelmSdkException early = null;
        try {
            values = given.isEmpty() ? Map.of() : ValueMaps.merge(op, release, given);
        } catch (HelmSdkException e) {
            early = e;
        }
        int slot = log.begin(op, release, namespace, chart, given, values, automatic, actor);
        try {
            if (early != null) {
                throw early;
            }
            slow(op, release, namespace, limit);
            return body.apply(values);
        } catch (HelmSdkException e) {
            log.end(slot, e);
            throw e;
        }
    }

    /** Sleeps the slowdown due; one longer than the call's limit is the real manager's time-out at the limit. */
    private void slow(Operation op, String release, String namespace, Duration limit) {
        Duration delay = faults.delay(op, release);
        if (delay.isZero()) {
            return;
        }
        boolean over = delay.compareTo(limit) > 0;
        try {
            Thread.sleep(over ? limit.toMillis() : delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HelmSdkException(op, release, op.tag() + " was interrupted", e);
        }
        if (over) {
            throw new OperationTimeoutException(op, release, limit, op.tag() + (release == null ? "" : Changes.where(release, namespace))
                    + " did not finish within its limit of " + limit, null);
        }
    }
}
