package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.testkit.fake.ChartRenderer;
import dev.helmsdk.testkit.fake.FakeHelmManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake's opt-in rendering through Helm itself (helm-java, the native library): what the real manager renders. */
@Tag("integration")
class FakeRenderingWithHelmTest {

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));

    @Test
    void helmRendersTheFakesManifestsAndTheChecksCompareThem() {
        FakeHelmManager fake = FakeHelmManager.builder().rendering(ChartRenderer.helmJava()).build();
        fake.install("shop").inNamespace("shop").chart(WEB).set("message", "v1").run();
        assertTrue(fake.manifest("shop").inNamespace("shop").run().contains("message: \"v1\""), "as HelmManagerContract sees on a cluster");
        RenderedManifest rendered = fake.template("tpl").inNamespace("x").chart(WEB).set("replicaCount", 4).run();
        assertEquals(Set.of("ConfigMap/tpl-config", "Service/tpl", "Deployment/tpl"),
                Set.copyOf(rendered.resources().stream().map(r -> r.id()).toList()));
        assertEquals("sdk-web/templates/deployment.yaml", rendered.find("Deployment", "tpl").orElseThrow().source());
        assertTrue(rendered.find("Deployment", "tpl").orElseThrow().yaml().contains("replicas: 4"));
        assertEquals(Set.of(Difference.VALUES), fake.needsUpgrade("shop").inNamespace("shop").chart(WEB).set("message", "v1")
                .set("extra.unused", "x").run().differences(), "a value no template reads changes the values only");
        assertEquals(Set.of(Difference.VALUES, Difference.MANIFEST),
                fake.needsUpgrade("shop").inNamespace("shop").chart(WEB).set("message", "v2").run().differences());
        ChartRef broken = ChartRef.local(TestCharts.local("sdk-broken"));
        assertThrows(HelmOperationException.class, () -> fake.template("tpl").chart(broken).run());
        assertTrue(fake.lint(broken).run().failed());
    }
}
