package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.TestReport;
import dev.helmsdk.api.TestReport.Phase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Per-test results from the hooks' last runs in Helm's release record (the cluster's side: HelmTestGateTest). */
class HelmTestReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static StoredRelease record(String hooks) throws Exception {
        String json = "{\"name\":\"shop\",\"version\":3,\"manifest\":\"\",\"hooks\":" + hooks + "}";
        byte[] helm = Base64.getEncoder().encode(json.getBytes(StandardCharsets.UTF_8));
        return StoredRelease.decodeSecretData(Base64.getEncoder().encodeToString(helm), JSON);
    }

    private static String hook(String name, int weight, String event, String started, String completed, String phase) {
        return "{\"name\":\"" + name + "\",\"kind\":\"Pod\",\"weight\":" + weight + ",\"events\":[\"" + event + "\"],"
                + "\"last_run\":{\"started_at\":\"" + started + "\",\"completed_at\":\"" + completed + "\",\"phase\":\"" + phase + "\"}}";
    }

    @Test
    void testHooksInHelmsOrderWithTimesAndAHookOfAnEarlierRunIsNotRun() throws Exception {
        String zero = "0001-01-01T00:00:00Z";
        StoredRelease r = record("[" + String.join(",",
                hook("shop-b", 1, "test", "2026-12-03T10:00:01.5+01:00", "2026-12-03T10:00:03.5+01:00", "Failed"),
                hook("shop-pre", 0, "pre-install", "2026-12-03T08:59:00Z", "2026-12-03T08:59:01Z", "Succeeded"),
                hook("shop-a", 1, "test", "2026-12-03T09:00:00Z", "2026-12-03T09:00:01Z", "Succeeded"),
                hook("shop-z", 0, "test", "2026-12-03T09:00:00Z", "2026-12-03T09:00:00.25Z", "Succeeded"),
                hook("shop-c", 2, "test", "2026-12-03T08:00:00Z", "2026-12-03T08:00:01Z", "Succeeded"),
                hook("shop-d", 3, "test", zero, zero, "")) + "]");
        TestReport report = HelmTestReports.lastRun(r, null, "apps");
        assertEquals(List.of("shop-z", "shop-a", "shop-b", "shop-c", "shop-d"), report.tests().stream().map(TestReport.Test::name).toList(),
                "test hooks only, by weight then name");
        assertEquals(List.of(Phase.SUCCEEDED, Phase.SUCCEEDED, Phase.FAILED, Phase.NOT_RUN, Phase.NOT_RUN),
                report.tests().stream().map(TestReport.Test::phase).toList(), "shop-c last ran before this run began");
        assertEquals(Optional.of(Duration.ofMillis(250)), report.tests().get(0).duration());
        assertEquals(Optional.of(Instant.parse("2026-12-03T09:00:01.500Z")), report.tests().get(2).startedAt(), "offsets read");
        assertEquals(Optional.empty(), report.tests().get(3).startedAt());
        assertEquals(3, report.revision());
        assertFalse(report.passed());
    }

    @Test
    void logsAreCutToTheirLastBytesWithoutSplittingACharacter() {
        assertEquals("short", HelmTestReports.tail("short", 10));
        assertEquals("end", HelmTestReports.tail("the end", 3));
        assertEquals("é!", HelmTestReports.tail("aé!", 3), "é is two bytes: kept whole");
        assertEquals("!", HelmTestReports.tail("aé!", 2), "half of é is dropped, not garbled");
    }
}
