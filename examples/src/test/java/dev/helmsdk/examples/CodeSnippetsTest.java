package dev.helmsdk.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every code block users copy compiles against the real artifacts: each {@code ```java} block of the repository's
 * README.md, and each {@code <pre>{@code ...}</pre>} snippet in the public Javadoc of every module. Compiled, not
 * run (they talk to clusters and registries).
 *
 * <p>How a snippet becomes a compilation unit, so that what the reader sees is what compiles:
 * <ul>
 *   <li>README blocks show their own imports. The harness adds only {@link #README_IMPORTS} (the JDK types every
 *       block uses: {@code URI}, {@code Path}, {@code Duration}, {@code java.util.*}); README.md says so.</li>
 *   <li>Javadoc snippets show no imports (Javadoc is read next to the types it names): they get
 *       {@link #JAVADOC_IMPORTS}, the SDK's public packages and the libraries the snippets use.</li>
 *   <li>A snippet that declares a top-level type (a test class, a provider) is a compilation unit as it is;
 *       anything else is statements, compiled as the body of a method that may throw.</li>
 * </ul>
 * Failures name the file and line of the snippet's bad line.
 */
class CodeSnippetsTest {

    static final List<String> README_IMPORTS = List.of("java.net.URI", "java.nio.file.Path", "java.time.Duration",
            "java.util.*");
    static final List<String> JAVADOC_IMPORTS = List.of("java.net.*", "java.nio.file.*", "java.time.*", "java.util.*",
            "java.util.concurrent.*", "dev.helmsdk.api.*", "dev.helmsdk.api.audit.*", "dev.helmsdk.api.auth.*", "dev.helmsdk.api.secrets.*", "dev.helmsdk.api.spi.*",
            "dev.helmsdk.core.*", "dev.helmsdk.core.audit.*", "dev.helmsdk.auth.*", "dev.helmsdk.testkit.*", "dev.helmsdk.testkit.junit.*",
            "dev.helmsdk.testkit.contract.*", "dev.helmsdk.testkit.spi.*", "dev.helmsdk.testkit.fake.*", "io.fabric8.kubernetes.client.*",
            "org.junit.jupiter.api.*", "static org.junit.jupiter.api.Assertions.*");

    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "(?m)^(@[\\w.]+(\\(.*\\))?\\s+)*((public|abstract|final|sealed)\\s+)*(class|interface|record|enum)\\s+\\w+");

    /** One snippet as source: where it came from and, per line of the generated unit, the line of the original. */
    record Snippet(String origin, String packageName, String source, int[] originalLines) {
    }

    @Test
    void everyReadmeJavaBlockCompiles(@TempDir Path out) throws IOException {
        Path readme = repositoryRoot().resolve("README.md");
        List<Snippet> snippets = readmeSnippets(readme);
        assertTrue(snippets.size() >= 6, "README.md has java blocks: " + snippets.size());
        compile(snippets, out);
    }

    @Test
    void everyJavadocSnippetCompiles(@TempDir Path out) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        Path root = repositoryRoot();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.filter(m -> m.getFileName().toString().startsWith("helm-sdk-"))
                    .map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/internal/"))
                            .sorted().toList()) {
                        snippets.addAll(javadocSnippets(root, f));
                    }
                }
            }
        }
        assertTrue(snippets.size() >= 8, "the public Javadoc has snippets: " + snippets.size());
        compile(snippets, out);
    }

    static List<Snippet> readmeSnippets(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```java")) {
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                    end++;
                }
                // A block inside a list item is indented like its fence.
                String indent = lines.get(i).substring(0, lines.get(i).indexOf('`'));
                List<String> code = lines.subList(start, end).stream()
                        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l).toList();
                snippets.add(unit("README.md", "snippets.readme.l" + (start + 1), code, start + 1, README_IMPORTS));
                i = end;
            }
        }
        return snippets;
    }

    static List<Snippet> javadocSnippets(Path root, Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Snippet> snippets = new ArrayList<>();
        String origin = root.relativize(file).toString();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("<pre>{@code")) {
                int start = i + 1;
                int end = start;
                while (end < lines.size() && !lines.get(end).contains("}</pre>")) {
                    end++;
                }
                List<String> code = lines.subList(start, end).stream()
                        .map(l -> l.replaceFirst("^\\s*\\* ?", "").replace("&#64;", "@")).toList();
                String pkg = "snippets.javadoc." + file.getFileName().toString().replace(".java", "")
                        .toLowerCase(Locale.ROOT) + ".l" + (start + 1);
                snippets.add(unit(origin, pkg, code, start + 1, JAVADOC_IMPORTS));
                i = end;
            }
        }
        return snippets;
    }

    /** Imports first, then the snippet: as it is when it declares a type, else as the body of a method. */
    static Snippet unit(String origin, String pkg, List<String> code, int firstLine, List<String> fixedImports) {
        StringBuilder src = new StringBuilder();
        List<Integer> map = new ArrayList<>();
        src.append("package ").append(pkg).append(";\n");
        map.add(firstLine);
        for (String imp : fixedImports) {
            src.append("import ").append(imp).append(";\n");
            map.add(firstLine);
        }
        int i = 0;
        while (i < code.size() && (code.get(i).startsWith("import ") || code.get(i).isBlank())) {
            src.append(code.get(i)).append('\n');
            map.add(firstLine + i);
            i++;
        }
        String body = String.join("\n", code.subList(i, code.size()));
        boolean declaresType = TYPE_DECLARATION.matcher(body).find();
        if (!declaresType) {
            src.append("class Snippet { void run() throws Exception {\n");
            map.add(firstLine + i);
        }
        for (int j = i; j < code.size(); j++) {
            src.append(code.get(j)).append('\n');
            map.add(firstLine + j);
        }
        if (!declaresType) {
            src.append("}}\n");
            map.add(firstLine + code.size() - 1);
        }
        return new Snippet(origin, pkg, src.toString(), map.stream().mapToInt(Integer::intValue).toArray());
    }

    static void compile(List<Snippet> snippets, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (Snippet s : snippets) {
            units.add(new Source(s));
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                    "-proc:none", "-Xlint:-options", "-implicit:none");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() instanceof Source s) {
                    int[] map = s.snippet.originalLines();
                    int line = (int) d.getLineNumber();
                    int original = line >= 1 && line <= map.length ? map[line - 1] : map[0];
                    errors.add(s.snippet.origin() + ":" + original + ": " + d.getMessage(Locale.ROOT));
                } else if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(d.toString());
                }
            }
            if (!ok || !errors.isEmpty()) {
                fail(errors.size() + " compile errors in code snippets:\n" + String.join("\n", errors));
            }
        }
    }

    /** The repository root: the directory holding README.md above this module. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("helm-sdk-api"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("README.md not found above " + Path.of("").toAbsolutePath()));
    }

    private static final class Source extends SimpleJavaFileObject {
        final Snippet snippet;

        Source(Snippet snippet) {
            super(URI.create("string:///" + snippet.packageName().replace('.', '/') + "/Snippet.java"), Kind.SOURCE);
            this.snippet = snippet;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return snippet.source();
        }
    }
}
