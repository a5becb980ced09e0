package dev.helmsdk.core.internal.source;

import dev.helmsdk.core.internal.source.RepositoryIndex.Entry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryIndexTest {

    private static final String DIGEST_A = "a".repeat(64);
    private static final String DIGEST_B = "0123456789abcdef".repeat(4);

    /** Written the way `helm repo index` writes it, plus fields the parser must skip. */
    private static final String REALISTIC = """
            apiVersion: v1
            entries:
              nginx:
              - annotations:
                  category: Infrastructure
                  images: |
                    - name: nginx
                      image: docker.io/bitnami/nginx:1.27.0
                apiVersion: v2
                appVersion: 1.27.0
                created: "2024-06-01T10:00:00.123456789Z"
                dependencies:
                - name: common
                  repository: oci://registry-1.docker.io/bitnamicharts
                  tags:
                  - bitnami-common
                  version: 2.x.x
                description: NGINX Open Source is a web server.
                digest: %s
                home: https://bitnami.com
                icon: https://bitnami.com/assets/stacks/nginx/img/nginx-stack-220x234.png
                keywords:
                - nginx
                - http
                maintainers:
                - name: Broadcom, Inc. All Rights Reserved.
                  url: https://github.com/bitnami/charts
                name: nginx
                sources:
                - https://github.com/bitnami/charts/tree/main/bitnami/nginx
                urls:
                - https://charts.example.com/nginx-18.1.0.tgz
                - https://mirror.example.com/nginx-18.1.0.tgz
                version: 18.1.0
              - apiVersion: v2
                appVersion: 1.26.1
                created: "2024-05-01T10:00:00Z"
                deprecated: true
                digest: %s
                name: nginx
                urls:
                - charts/nginx-18.0.0.tgz
                version: 18.0.0
              podinfo:
              - apiVersion: v2
                name: podinfo
                urls:
                - podinfo-6.14.1.tgz
                version: 6.14.1
              aaa-last-alphabetically-but-listed-last: []
            generated: "2024-06-01T10:00:01.5Z"
            serverInfo:
              contextPath: /v1/helm
            """.formatted(DIGEST_A, DIGEST_B);

    private static RepositoryIndex parse(String s) throws IOException {
        return RepositoryIndex.parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String parseError(String s) {
        return assertThrows(IOException.class, () -> parse(s)).getMessage();
    }

    @Test
    void parsesRealisticIndexKeepingOnlyTheNeededFields() throws IOException {
        RepositoryIndex index = parse(REALISTIC);

        assertEquals(List.of("nginx", "podinfo", "aaa-last-alphabetically-but-listed-last"),
                List.copyOf(index.chartNames()));
        assertEquals(3, index.size());
        assertEquals(List.of(
                new Entry("nginx", "18.1.0", List.of("https://charts.example.com/nginx-18.1.0.tgz",
                        "https://mirror.example.com/nginx-18.1.0.tgz"), DIGEST_A, "1.27.0", false),
                new Entry("nginx", "18.0.0", List.of("charts/nginx-18.0.0.tgz"), DIGEST_B, "1.26.1", true)),
                index.versions("nginx"));
        // Missing optional fields: no digest, no appVersion, no deprecated.
        assertEquals(List.of(new Entry("podinfo", "6.14.1", List.of("podinfo-6.14.1.tgz"), "", "", false)),
                index.versions("podinfo"));
        assertEquals(List.of(), index.versions("aaa-last-alphabetically-but-listed-last"));
        assertEquals(List.of(), index.versions("absent"));
    }

    @Test
    void preservesTheListedOrderOfVersionsAndCharts() throws IOException {
        StringBuilder y = new StringBuilder("apiVersion: v1\nentries:\n");
        List<String> charts = List.of("zeta", "alpha", "mid");
        List<String> versions = List.of("1.0.0", "3.0.0", "2.0.0-rc.1", "2.0.0", "0.1.0");
        for (String c : charts) {
            y.append("  ").append(c).append(":\n");
            for (String v : versions) {
                y.append("  - name: ").append(c).append("\n    version: ").append(v)
                        .append("\n    urls: [").append(c).append('-').append(v).append(".tgz]\n");
            }
        }
        RepositoryIndex index = parse(y.toString());
        assertEquals(charts, List.copyOf(index.chartNames()));
        for (String c : charts) {
            assertEquals(versions, index.versions(c).stream().map(Entry::version).toList());
        }
        assertEquals(15, index.size());
    }

    @Test
    void acceptsTheJsonForm() throws IOException {
        String json = """
                \uFEFF  {"apiVersion":"v1","generated":"2024-06-01T10:00:00Z",
                 "entries":{"web":[
                   {"name":"web","version":"1.2.3","appVersion":"2.0","digest":"%s","deprecated":false,
                    "urls":["https://x.example/web-1.2.3.tgz"],"maintainers":[{"name":"a","email":"a@x"}]},
                   {"name":"web","version":"1.2.2","urls":["web-1.2.2.tgz"],"deprecated":true}]}}
                """.formatted(DIGEST_A);
        RepositoryIndex index = parse(json);
        assertEquals(List.of(
                new Entry("web", "1.2.3", List.of("https://x.example/web-1.2.3.tgz"), DIGEST_A, "2.0", false),
                new Entry("web", "1.2.2", List.of("web-1.2.2.tgz"), "", "", true)), index.versions("web"));
    }

    @Test
    void aYamlFlowMappingIsNotMistakenForJson() throws IOException {
        RepositoryIndex index = parse("{apiVersion: v1, entries: {web: [{name: web, version: 1.0.0, urls: [w.tgz]}]}}");
        assertEquals(List.of(new Entry("web", "1.0.0", List.of("w.tgz"), "", "", false)), index.versions("web"));
    }

    @Test
    void keepsNumbersAsWrittenAndToleratesLooseValues() throws IOException {
        RepositoryIndex index = parse("""
                apiVersion: v1
                entries:
                  app:
                  - name: app
                    version: 1.10
                    appVersion: 2.0
                    deprecated: "yes"
                    urls: app-1.10.tgz
                  - null
                  - name: app
                    appVersion: no-version-so-dropped
                  - version: 9.9.9
                    urls: [no-name-so-dropped.tgz]
                  empty:
                """);
        // As written: YAML would read 1.10 as the number 1.1.
        assertEquals(List.of(new Entry("app", "1.10", List.of("app-1.10.tgz"), "", "2.0", true)),
                index.versions("app"));
        assertEquals(List.of(), index.versions("empty"));
        assertEquals(1, index.size());
    }

    @Test
    void emptyEntriesIsAnEmptyIndex() throws IOException {
        assertEquals(0, parse("apiVersion: v1\nentries: {}\n").size());
        assertTrue(parse("apiVersion: v1\nentries:\ngenerated: x\n").chartNames().isEmpty());
    }

    @Test
    void parsedCollectionsAreImmutable() throws IOException {
        RepositoryIndex index = parse(REALISTIC);
        assertThrows(UnsupportedOperationException.class, () -> index.chartNames().remove("nginx"));
        assertThrows(UnsupportedOperationException.class, () -> index.versions("nginx").clear());
        assertThrows(UnsupportedOperationException.class, () -> index.versions("nginx").get(0).urls().clear());
    }

    @Test
    void malformedContentIsReportedByWhatIsWrong() {
        assertEquals("index is empty", parseError(""));
        assertEquals("index is empty", parseError("   \n"));
        assertTrue(parseError("- a\n- b\n").startsWith("index is not a mapping (found a list)"));
        assertTrue(parseError("just text\n").startsWith("index is not a mapping (found a string)"));
        assertEquals("index has no 'apiVersion'", parseError("entries: {}\n"));
        assertEquals("index has no 'entries' map", parseError("apiVersion: v1\ngenerated: x\n"));
        assertEquals("index 'entries' is not a map (found a list) (line 2)",
                parseError("apiVersion: v1\nentries: [a, b]\n"));
        assertEquals("index entry 'web' is not a list of chart versions (found a string) (line 3)",
                parseError("apiVersion: v1\nentries:\n  web: nope\n"));
        assertEquals("index entry 'web' item 2 is not a mapping (found a string) (line 5)",
                parseError("apiVersion: v1\nentries:\n  web:\n  - {name: web, version: 1.0.0}\n  - oops\n"));
        assertTrue(parseError("apiVersion: v1\nentries:\n  web:\n  - {name: web, version: 1.0.0, urls: {a: b}}\n")
                .startsWith("index entry 'web' item 1 has 'urls' that is not a list"));
        assertTrue(parseError("apiVersion: v1\nentries:\n  web:\n  - {name: web, version: [1]}\n")
                .startsWith("index entry 'web' item 1 has 'version' that is not a string (found a list)"));
        assertTrue(parseError("apiVersion: v1\nentries:\n  web:\n  - {name: web, version: 1.0.0, deprecated: maybe}\n")
                .startsWith("index entry 'web' item 1 has 'deprecated' that is not true or false"));
    }

    @Test
    void syntaxErrorsNameTheFormatAndLine() {
        String yaml = parseError("apiVersion: v1\nentries:\n  web:\n  - name: \"unclosed\n    version: 1\n");
        assertTrue(yaml.startsWith("index is not valid YAML: "), yaml);
        assertTrue(yaml.contains("line 4"), yaml);
        assertFalse(yaml.contains("\n"), "one line: " + yaml);
        String json = parseError("{\"apiVersion\": \"v1\", \"entries\": {\"web\": [}");
        assertTrue(json.startsWith("index is not valid JSON: "), json);
    }

    @Test
    void doesNotCloseTheCallersStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(new ByteArrayInputStream(
                "apiVersion: v1\nentries: {}\n".getBytes(StandardCharsets.UTF_8))) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        RepositoryIndex.parse(in);
        assertFalse(closed[0]);
    }

    @Test
    void parsesLargeIndexBeyondSnakeYamlsDefaultDocumentLimit() throws IOException {
        // 10,000 versions with Helm's usual fields: well over SnakeYAML's 3 MB default limit.
        String yaml = generate(500, 20);
        assertTrue(yaml.length() > 3 * 1024 * 1024, "test index too small: " + yaml.length());
        RepositoryIndex index = parse(yaml);
        assertEquals(10_000, index.size());
        assertEquals(500, index.chartNames().size());
        Entry e = index.versions("chart-0499").get(19);
        assertEquals(new Entry("chart-0499", "1.19.0", List.of("https://charts.example.com/chart-0499-1.19.0.tgz"),
                String.format("%064x", 499L * 20 + 19), "2.19.0", false), e);
        assertTrue(index.versions("chart-0007").get(0).deprecated());
    }

    /** An index like `helm repo index` writes: charts x versions, with the usual metadata. */
    static String generate(int charts, int versionsEach) {
        StringBuilder y = new StringBuilder(charts * versionsEach * 700);
        y.append("apiVersion: v1\nentries:\n");
        for (int c = 0; c < charts; c++) {
            String name = String.format("chart-%04d", c);
            y.append("  ").append(name).append(":\n");
            for (int v = 0; v < versionsEach; v++) {
                y.append("  - annotations:\n      category: Infrastructure\n      licenses: Apache-2.0\n")
                        .append("    apiVersion: v2\n")
                        .append("    appVersion: 2.").append(v).append(".0\n")
                        .append("    created: \"2024-06-01T10:").append(String.format("%02d", v)).append(":00.123456789Z\"\n")
                        .append(v == 0 && c % 7 == 0 ? "    deprecated: true\n" : "")
                        .append("    description: A Helm chart for Kubernetes that deploys ").append(name)
                        .append(" with sensible defaults.\n")
                        .append("    digest: ").append(String.format("%064x", (long) c * versionsEach + v)).append('\n')
                        .append("    home: https://example.com/").append(name).append('\n')
                        .append("    keywords:\n    - ").append(name).append("\n    - web\n")
                        .append("    maintainers:\n    - email: team@example.com\n      name: The Team\n")
                        .append("    name: ").append(name).append('\n')
                        .append("    sources:\n    - https://github.com/example/").append(name).append('\n')
                        .append("    type: application\n")
                        .append("    urls:\n    - https://charts.example.com/").append(name).append("-1.").append(v)
                        .append(".0.tgz\n")
                        .append("    version: 1.").append(v).append(".0\n");
            }
        }
        y.append("generated: \"2024-06-01T10:00:00Z\"\n");
        return y.toString();
    }
}
