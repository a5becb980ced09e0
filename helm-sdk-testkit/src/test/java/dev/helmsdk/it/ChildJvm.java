package dev.helmsdk.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A child JVM running a test's {@code main} class with this JVM's class path; its output lines are collected (and
 * echoed, prefixed with its pid) as they come. The environment (surefire's KUBECACHEDIR, HELM_*_HOME) is inherited.
 */
record ChildJvm(Process process, List<String> lines, Thread reader) {

    static ChildJvm start(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (System.getProperty("jna.tmpdir") != null) {
            command.add("-Djna.tmpdir=" + System.getProperty("jna.tmpdir"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[child " + child.pid() + "] " + line);
                }
            } catch (IOException e) {
                lines.add("READ-FAILED " + e);
            }
        }, main.getSimpleName() + "-output");
        reader.setDaemon(true);
        reader.start();
        return new ChildJvm(child, lines, reader);
    }
}
