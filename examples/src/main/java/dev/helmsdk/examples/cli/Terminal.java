package dev.helmsdk.examples.cli;

import java.io.PrintWriter;
import java.util.Map;

/** Where the command writes for people: stdout for results, stderr for progress; colour only on a terminal. */
final class Terminal {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean colour;

    Terminal(PrintWriter out, PrintWriter err, boolean colour) {
        this.out = out;
        this.err = err;
        this.colour = colour;
    }

    /** Colour when stdout is a console and {@code NO_COLOR} (no-color.org) is not set. */
    static boolean colourWanted(Map<String, String> env) {
        String noColour = env.get("NO_COLOR");
        return System.console() != null && (noColour == null || noColour.isEmpty());
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    String red(String s) {
        return paint("31", s);
    }

    String green(String s) {
        return paint("32", s);
    }

    String yellow(String s) {
        return paint("33", s);
    }

    String bold(String s) {
        return paint("1", s);
    }

    private String paint(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
