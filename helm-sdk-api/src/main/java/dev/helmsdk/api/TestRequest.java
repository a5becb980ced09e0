package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

/**
 * Runs the release's {@code helm test} hooks. {@link #run()} returns the release when every test passed and raises a
 * {@link HelmOperationException} with Helm's words when one fails; {@link #results()} returns a {@link TestReport}
 * with one result per test (phase, times, logs) whether they pass or fail, for gates; {@link #lastResults()} reads
 * what the last run recorded, starting no pod.
 */
public final class TestRequest extends ReleaseRead<TestRequest, Release> {

    /** The default of {@link #logBytes(int)}: the last 4 KiB of each test pod's logs. */
    public static final int DEFAULT_LOG_BYTES = 4096;
    /** The most {@link #logBytes(int)} accepts (1 MiB). */
    public static final int MAX_LOG_BYTES = 1024 * 1024;

    private final int logBytes;

    TestRequest(HelmEngine engine, ReleaseQuery query) {
        this(engine, query, DEFAULT_LOG_BYTES);
    }

    private TestRequest(HelmEngine engine, ReleaseQuery query, int logBytes) {
        super(engine, Operation.TEST, query);
        this.logBytes = logBytes;
    }

    @Override
    TestRequest copy(ReleaseQuery changed) {
        return new TestRequest(engine, changed, logBytes);
    }

    /**
     * How much of each test pod's logs {@link #results()} returns: its last {@code bytes} bytes, with the values of
     * the release's own Secrets masked; 0 for no logs (no request for them is sent).
     *
     * @throws InvalidRequestException when under 0 or over {@link #MAX_LOG_BYTES}
     */
    public TestRequest logBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_LOG_BYTES) {
            throw new InvalidRequestException(operation, query.releaseName(), "logBytes must be between 0 and " + MAX_LOG_BYTES
                    + ", was " + bytes);
        }
        return new TestRequest(engine, query, bytes);
    }

    @Override
    public Release run() {
        return engine.test(query);
    }

    /**
     * Runs the tests and reports each one; a failing test is in the report ({@link TestReport#passed()} false),
     * not thrown. Throws for what stops the tests from running (no such release, the time limit, the cluster).
     */
    public TestReport results() {
        return engine.testReport(query, true, logBytes);
    }

    /** The tests as the release record says they last ran (each {@link TestReport.Phase#NOT_RUN} if never); starts no pod. */
    public TestReport lastResults() {
        return engine.testReport(query, false, logBytes);
    }
}
