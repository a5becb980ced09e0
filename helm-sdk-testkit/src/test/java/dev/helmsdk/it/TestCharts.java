package dev.helmsdk.it;

import org.junit.jupiter.api.Assumptions;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Where the test charts are. */
public final class TestCharts {

    private TestCharts() {
    }

    /** A chart under {@code src/test/resources/charts}. */
    public static Path local(String name) {
        try {
            return Path.of(TestCharts.class.getResource("/charts/" + name + "/Chart.yaml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The real podinfo chart from the shared directory beside the repository. Skips the test where
     * it is absent on a developer machine; fails when {@code CI=true}, where it must be present.
     */
    public static Path podinfo() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/charts/podinfo");
            if (Files.isRegularFile(candidate.resolve("Chart.yaml"))) {
                return candidate;
            }
            Path sibling = dir.resolveSibling("shared").resolve("charts/podinfo");
            if (Files.isRegularFile(sibling.resolve("Chart.yaml"))) {
                return sibling;
            }
        }
        String message = "podinfo chart not found: expected ../shared/charts/podinfo beside the repository";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true: it must be present)");
        }
        Assumptions.abort(message + "; skipping");
        return null;
    }
}
