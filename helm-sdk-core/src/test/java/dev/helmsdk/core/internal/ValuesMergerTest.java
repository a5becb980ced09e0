package dev.helmsdk.core.internal;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesMergerTest {

    private final ValuesMerger merger = new ValuesMerger();

    @TempDir
    Path dir;

    private Map<String, Object> merge(Values v) {
        return merger.merge(Operation.INSTALL, "web", v);
    }

    @Test
    void filesAndMapsMergeDeeplyInOrderThenSetsWinWhateverTheirOrder() throws Exception {
        Path base = Files.writeString(dir.resolve("base.yaml"), "image:\n  repository: nginx\n  tag: '1.0'\nreplicas: 1\nlist: [a, b]\n");
        Path prod = Files.writeString(dir.resolve("prod.yaml"), "image:\n  tag: '2.0'\nlist: [c]\n");
        Map<String, Object> out = merge(Values.empty()
                .set("replicas", 5)
                .file(base)
                .map(Map.of("image", Map.of("pullPolicy", "Always")))
                .file(prod));
        assertEquals(Map.of("repository", "nginx", "tag", "2.0", "pullPolicy", "Always"), out.get("image"));
        assertEquals(List.of("c"), out.get("list"), "lists are replaced, not merged, as in Helm");
        assertEquals(5, out.get("replicas"), "sets apply after every file and map");
    }

    @Test
    void setsKeepJavaTypesAndBuildNestedListsAndMaps() {
        Map<String, Object> out = merge(Values.empty()
                .set("image.tag", "1.10")
                .set("env[1].name", "B")
                .set("enabled", true)
                .set("ratio", 0.5));
        assertEquals(Map.of("tag", "1.10"), out.get("image"));
        assertEquals(Arrays.asList(null, Map.of("name", "B")), out.get("env"));
        assertEquals(true, out.get("enabled"));
        assertEquals(0.5, out.get("ratio"));
    }

    @Test
    void setIntoAnExistingListChangesOnlyThatElement() throws Exception {
        Path f = Files.writeString(dir.resolve("v.yaml"), "hosts:\n  - name: a\n    port: 1\n  - name: b\n");
        Map<String, Object> out = merge(Values.empty().file(f).set("hosts[0].port", 2));
        assertEquals(List.of(Map.of("name", "a", "port", 2), Map.of("name", "b")), out.get("hosts"));
    }

    @Test
    void malformedYamlNamesTheFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("broken.yaml"), "a: 1\nb:\n  c: [1, 2\nd: 4\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> merge(Values.empty().file(f)));
        assertTrue(e.getMessage().contains("broken.yaml") && e.getMessage().contains("line "), e.getMessage());
        assertEquals("web", e.releaseName().orElseThrow());
    }

    @Test
    void missingFileAndNonMappingFileAreRejected() throws Exception {
        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> merge(Values.empty().file(dir.resolve("nope.yaml"))));
        assertTrue(missing.getMessage().contains("nope.yaml") && missing.getMessage().contains("does not exist"), missing.getMessage());
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        InvalidRequestException notMap = assertThrows(InvalidRequestException.class, () -> merge(Values.empty().file(list)));
        assertTrue(notMap.getMessage().contains("mapping"), notMap.getMessage());
    }

    @Test
    void emptyFileIsNoValues() throws Exception {
        Path f = Files.writeString(dir.resolve("empty.yaml"), "# nothing\n");
        assertEquals(Map.of(), merge(Values.empty().file(f)));
    }

    @Test
    void aTypedValueHelmCannotTakeIsRefusedNamingItsPath() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> merge(Values.empty().set("limits.ratio", Double.POSITIVE_INFINITY)));
        assertTrue(e.getMessage().contains("'limits.ratio'"), e.getMessage());
    }
}
