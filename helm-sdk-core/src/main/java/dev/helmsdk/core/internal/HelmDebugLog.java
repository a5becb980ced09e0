package dev.helmsdk.core.internal;

import dev.helmsdk.core.internal.secrets.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helm's own log, which helm-java appends after a {@code ---} line to what a {@code debug} call returns (its
 * report, or its error text), routed to SLF4J at DEBUG on {@value #NAME}, line by line, masked by the
 * operation's redactor. Only the log part: the report before it prints the values and is never logged.
 */
public final class HelmDebugLog {

    /** The logger Helm's own log goes to. */
    public static final String NAME = "dev.helmsdk.helm";
    private static final Logger LOG = LoggerFactory.getLogger(NAME);
    private static final String SEPARATOR = "\n---\n";

    private HelmDebugLog() {
    }

    /** Logs the Helm log that {@code call} returned in {@code output} (a report: the log is after its last separator). */
    public static void output(HelmCall call, String output, Redactor mask) {
        if (call.has(HelmCall.Flag.DEBUG) && output != null && LOG.isDebugEnabled()) {
            int i = output.lastIndexOf(SEPARATOR);
            if (i >= 0) {
                lines(output.substring(i + SEPARATOR.length()), mask);
            }
        }
    }

    /** Logs the Helm log in the error text of a failed {@code call} (after its first separator), and returns Helm's message alone. */
    public static String failure(HelmCall call, String text, Redactor mask) {
        return failure(call, text, mask, true);
    }

    /** As {@link #failure(HelmCall, String, Redactor)}; logs nothing unless {@code log}. */
    static String failure(HelmCall call, String text, Redactor mask, boolean log) {
        int i = call.has(HelmCall.Flag.DEBUG) && text != null ? text.indexOf(SEPARATOR) : -1;
        if (i < 0) {
            return text;
        }
        if (log && LOG.isDebugEnabled()) {
            lines(text.substring(i + SEPARATOR.length()), mask);
        }
        return text.substring(0, i);
    }

    private static void lines(String log, Redactor mask) {
        log.lines().filter(l -> !l.isBlank()).forEach(l -> LOG.debug("helm: {}", mask.mask(l)));
    }
}
