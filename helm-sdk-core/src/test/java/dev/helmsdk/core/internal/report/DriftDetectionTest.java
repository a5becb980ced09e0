package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.spi.DriftSpec;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ignore rules: which fields of which objects they cover, and what a correction applies for them. */
class DriftDetectionTest {

    private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "apps", "web");
    private static final ObjectRef API = new ObjectRef("apps/v1", "Deployment", "apps", "api");
    private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "apps", "web");

    private static DriftSpec.Ignore rule(String kind, String name, String path) {
        return new DriftSpec.Ignore(kind, name, path);
    }

    @Test
    void aPointerCoversItsFieldAndWhatIsUnderItNotItsSiblings() {
        List<DriftSpec.Ignore> all = List.of(rule("*", "*", "/spec/replicas"), rule("*", "*", "/metadata/labels/a~1b"));
        assertTrue(DriftDetection.ignored(all, WEB, "/spec/replicas"));
        assertTrue(DriftDetection.ignored(all, CONFIG, "/spec/replicas"), "* covers every kind and name");
        assertFalse(DriftDetection.ignored(all, WEB, "/spec/replicasMax"), "a prefix of the key is another field");
        assertFalse(DriftDetection.ignored(all, WEB, "/spec"));
        assertTrue(DriftDetection.ignored(List.of(rule("*", "*", "/spec/template")), WEB, "/spec/template/spec/containers/0/image"));
        assertTrue(DriftDetection.ignored(all, WEB, "/metadata/labels/a~1b"), "escaped keys compare as written");
    }

    @Test
    void aScopedRuleCoversOnlyItsKindAndName() {
        List<DriftSpec.Ignore> web = List.of(rule("Deployment", "web", "/spec/replicas"));
        assertTrue(DriftDetection.ignored(web, WEB, "/spec/replicas"));
        assertFalse(DriftDetection.ignored(web, API, "/spec/replicas"), "another name");
        assertFalse(DriftDetection.ignored(web, CONFIG, "/spec/replicas"), "another kind of the same name");
        List<DriftSpec.Ignore> everyDeployment = List.of(rule("Deployment", "*", "/spec/replicas"));
        assertTrue(DriftDetection.ignored(everyDeployment, API, "/spec/replicas"));
        assertFalse(DriftDetection.ignored(everyDeployment, CONFIG, "/spec/replicas"));
    }

    @Test
    void ignoredFieldsLeaveTheChangeAndAMissingObjectStays() {
        ObjectChange changed = new ObjectChange(WEB, ObjectChange.Type.CHANGED, List.of(
                new FieldChange("/spec/replicas", Optional.of("3"), Optional.of("1")),
                new FieldChange("/spec/template/spec/containers/0/image", Optional.of("\"b\""), Optional.of("\"a\""))));
        ObjectChange left = DriftDetection.withoutIgnored(changed, List.of(rule("*", "*", "/spec/replicas")));
        assertEquals(List.of("/spec/template/spec/containers/0/image"), left.fields().stream().map(FieldChange::path).toList());
        ObjectChange missing = new ObjectChange(WEB, ObjectChange.Type.ADDED, List.of());
        assertEquals(missing, DriftDetection.withoutIgnored(missing, List.of(rule("*", "*", "/spec"))));
    }

    @Test
    void aCorrectionAppliesTheDeployedObjectWithIgnoredFieldsAsTheyAreLive() {
        Map<String, Object> deployed = Map.of("kind", "Deployment", "metadata", Map.of("name", "web"),
                "spec", Map.of("replicas", 1, "template", Map.of("spec", Map.of("containers",
                        List.of(Map.of("name", "web", "image", "nginx:1.27"))))));
        Map<String, Object> live = new LinkedHashMap<>(deployed);
        live.put("spec", Map.of("replicas", 5, "paused", true, "template", Map.of("spec", Map.of("containers",
                List.of(Map.of("name", "web", "image", "nginx:1.28"))))));
        ServerView.Entry e = new ServerView.Entry(WEB, deployed, Optional.of(live), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        Map<String, Object> desired = DriftDetection.desired(e, List.of(rule("Deployment", "web", "/spec/replicas"),
                rule("*", "*", "/spec/paused"), rule("*", "*", "/spec/minReadySeconds"), rule("ConfigMap", "*", "/spec/template")));
        assertEquals(5, JsonPointers.at(desired, "/spec/replicas").orElseThrow(), "ignored: as live");
        assertEquals(true, JsonPointers.at(desired, "/spec/paused").orElseThrow(), "ignored and only live: kept");
        assertEquals(Optional.empty(), JsonPointers.at(desired, "/spec/minReadySeconds"), "ignored and nowhere: not made up");
        assertEquals("nginx:1.27", JsonPointers.at(desired, "/spec/template/spec/containers/0/image").orElseThrow(),
                "not ignored (the rule is for ConfigMaps): as deployed");
        assertEquals(1, JsonPointers.at(deployed, "/spec/replicas").orElseThrow(), "the deployed object is left as it is");

        Map<String, Object> fieldGone = new LinkedHashMap<>(deployed);
        fieldGone.put("spec", Map.of("template", ((Map<?, ?>) deployed.get("spec")).get("template")));
        ServerView.Entry removedByHand = new ServerView.Entry(WEB, deployed, Optional.of(fieldGone), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertEquals(Optional.empty(), JsonPointers.at(DriftDetection.desired(removedByHand, List.of(rule("*", "*", "/spec/replicas"))),
                "/spec/replicas"), "ignored and removed live: not applied");
    }

    @Test
    void pointersWalkMapsAndListsWithEscapes() {
        Map<String, Object> o = Map.of("metadata", Map.of("annotations", Map.of("a/b", "x", "c~d", "y")),
                "items", List.of("zero", Map.of("k", "one")));
        assertEquals(List.of("metadata", "annotations", "a/b"), JsonPointers.keys("/metadata/annotations/a~1b"));
        assertEquals("x", JsonPointers.at(o, "/metadata/annotations/a~1b").orElseThrow());
        assertEquals("y", JsonPointers.at(o, "/metadata/annotations/c~0d").orElseThrow());
        assertEquals("one", JsonPointers.at(o, "/items/1/k").orElseThrow());
        assertEquals(Optional.empty(), JsonPointers.at(o, "/items/7"));
        assertEquals(Optional.empty(), JsonPointers.at(o, "/items/x"));
        Object changed = JsonPointers.with(o, JsonPointers.keys("/items/1/k"), Optional.of("uno"));
        assertEquals("uno", JsonPointers.at(changed, "/items/1/k").orElseThrow());
        assertEquals(o, JsonPointers.with(o, JsonPointers.keys("/items/9/k"), Optional.of("nine")), "no such item: unchanged");
        assertTrue(JsonPointers.covers("/spec", "/spec/x") && JsonPointers.covers("/spec", "/spec") && !JsonPointers.covers("/spec", "/specs"));
    }
}
