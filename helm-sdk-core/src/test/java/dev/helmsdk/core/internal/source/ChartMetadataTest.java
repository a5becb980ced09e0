package dev.helmsdk.core.internal.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChartMetadataTest {

    @Test
    void readsNameAndVersionFromADirectoryAndFromAnArchive(@TempDir Path tmp) throws Exception {
        Path chart = Files.createDirectories(tmp.resolve("src/shop/templates"));
        Files.writeString(chart.resolve("cm.yaml"), "kind: ConfigMap\n");
        Files.writeString(tmp.resolve("src/shop/Chart.yaml"),
                "apiVersion: v2\nname: shop # the shop\nversion: \"1.10\"\ndependencies:\n  - name: db\n    version: 9.9.9\n");
        assertEquals(Map.of("name", "shop", "version", "1.10"), ChartMetadata.read(tmp.resolve("src/shop")));

        // tar as Helm packages it: the chart directory first, templates before or after Chart.yaml
        Process tar = new ProcessBuilder("tar", "-czf", tmp.resolve("shop-1.10.tgz").toString(), "-C", tmp.resolve("src").toString(),
                "shop/templates", "shop/Chart.yaml").inheritIO().start();
        assertEquals(0, tar.waitFor());
        assertEquals(Map.of("name", "shop", "version", "1.10"), ChartMetadata.read(tmp.resolve("shop-1.10.tgz")));

        assertEquals(Map.of(), ChartMetadata.read(Files.writeString(tmp.resolve("junk.tgz"), "not gzip")));
    }
}
