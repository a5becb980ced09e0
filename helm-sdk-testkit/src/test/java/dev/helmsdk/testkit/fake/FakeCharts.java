package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.ChartRef;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test charts under {@code src/test/resources/charts}. */
final class FakeCharts {

    static final ChartRef WEB = ChartRef.local(local("sdk-web"));                // 0.3.0, appVersion 2.1
    static final ChartRef PREVIEW = ChartRef.local(local("sdk-preview"));
    static final ChartRef PREVIEW_2 = ChartRef.local(local("sdk-preview-2"));    // 0.2.0, one more default

    private FakeCharts() {
    }

    static Path local(String name) {
        try {
            return Path.of(FakeCharts.class.getResource("/charts/" + name + "/Chart.yaml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
