package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

/**
 * Runs the release's {@code helm test} hooks. Returns the release when every test passed; a
 * failing test raises a {@link HelmOperationException} with Helm's words.
 */
public final class TestRequest extends ReleaseRead<TestRequest, Release> {

    TestRequest(HelmEngine engine, ReleaseQuery query) {
        super(engine, Operation.TEST, query);
    }

    @Override
    TestRequest copy(ReleaseQuery changed) {
        return new TestRequest(engine, changed);
    }

    @Override
    public Release run() {
        return engine.test(query);
    }
}
