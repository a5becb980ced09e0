package dev.helmsdk.core.internal.cache;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The informer's item store: what it keeps of a release Secret, its index by release, and what it gives the informer back. */
class RecordIndexTest {

    private static Secret record(String ns, String release, int revision, String status, String rv, byte[] helmBytes) {
        String data = Base64.getEncoder().encodeToString(Base64.getEncoder().encode(helmBytes));
        return new SecretBuilder().withNewMetadata().withNamespace(ns).withName("sh.helm.release.v1." + release + ".v" + revision)
                .withResourceVersion(rv).addToLabels(Map.of("owner", "helm", "name", release, "version", String.valueOf(revision),
                        "status", status)).endMetadata().withType("helm.sh/release.v1").addToData("release", data).build();
    }

    @Test
    void keepsHelmsBytesAndLabelsIndexedByReleaseAndGivesTheInformerMetadataOnly() {
        RecordIndex index = new RecordIndex();
        byte[] one = "{\"name\":\"web\",\"version\":1}".getBytes(StandardCharsets.UTF_8);
        Secret v1 = record("apps", "web", 1, "superseded", "10", one);
        Secret v2 = record("apps", "web", 2, "deployed", "11", "{}".getBytes(StandardCharsets.UTF_8));
        assertNull(index.put(index.getKey(v1), v1));
        assertNull(index.put(index.getKey(v2), v2));
        index.put("other/sh.helm.release.v1.web.v1", record("other", "web", 1, "deployed", "12", one));

        var revisions = index.revisions("apps", "web");
        assertEquals(List.of(1, 2), List.copyOf(revisions.keySet()));
        assertArrayEquals(one, revisions.get(1).payload(), "both base64 layers undone, nothing else kept of the data");
        assertEquals("superseded", revisions.get(1).status());
        assertEquals(1, index.revisions("other", "web").size());
        assertEquals(2, index.releases(null).count());
        assertEquals(1, index.releases("apps").count());

        Secret back = index.get("apps/sh.helm.release.v1.web.v1");
        assertEquals("10", back.getMetadata().getResourceVersion());
        assertTrue(back.getData() == null || back.getData().isEmpty(), "the informer gets no data back");

        Secret v1b = record("apps", "web", 1, "superseded", "13", one);
        assertEquals("10", index.put(index.getKey(v1b), v1b).getMetadata().getResourceVersion(), "the old state, for the informer's compare");
        assertEquals("13", index.revisions("apps", "web").get(1).resourceVersion());
        index.remove("apps/sh.helm.release.v1.web.v2");
        assertEquals(List.of(1), List.copyOf(index.revisions("apps", "web").keySet()));
        index.remove("apps/sh.helm.release.v1.web.v1");
        assertTrue(index.revisions("apps", "web").isEmpty());
        assertEquals(1, index.size());
    }

    @Test
    void aSecretThatIsNotAReleaseRecordIsKeptForTheInformerButNotIndexed() {
        RecordIndex index = new RecordIndex();
        Secret s = new SecretBuilder().withNewMetadata().withNamespace("apps").withName("owned-by-helm").withResourceVersion("5")
                .addToLabels("owner", "helm").endMetadata().withType("Opaque").addToData("x", "eA==").build();
        index.put(index.getKey(s), s);
        assertEquals(1, index.size());
        assertEquals(0, index.releases(null).count());
        assertFalse(index.get("apps/owned-by-helm").getMetadata().getName().isEmpty());
    }
}
