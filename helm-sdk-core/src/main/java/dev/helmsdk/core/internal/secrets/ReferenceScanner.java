package dev.helmsdk.core.internal.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds secret references in a string value, as vals' {@code DefaultRefRegexp} does. */
final class ReferenceScanner {

    /** vals' {@code ((secret)?ref)\+([^\+:]*://[^\+\n]+)\+?}: a reference runs to a {@code +}, a newline or the end. */
    private static final Pattern REFERENCE = Pattern.compile("(?:secret)?ref\\+[^+:]*://[^+\\n]+\\+?");

    /** Where one reference sits in its string. */
    record Found(int start, int end, String text) {
    }

    private ReferenceScanner() {
    }

    /** Whether {@code s} may hold a reference: the cheap test every string of the values gets. */
    static boolean mayHold(String s) {
        return s.contains("ref+");
    }

    /** The references in {@code s}, in order. */
    static List<Found> find(String s) {
        if (!mayHold(s)) {
            return List.of();
        }
        List<Found> found = new ArrayList<>();
        Matcher m = REFERENCE.matcher(s);
        while (m.find()) {
            found.add(new Found(m.start(), m.end(), m.group()));
        }
        return found;
    }
}
