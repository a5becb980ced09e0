package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The requested version as a constraint, and how a choice among a source's versions is shown and logged. */
final class VersionChoice {

    // Logged under RemoteCharts, as before it was split, so existing log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);

    private VersionChoice() {
    }

    static VersionConstraint constraint(Operation op, String release, String version) {
        if (version == null || version.isBlank()) {
            return VersionConstraint.latest();
        }
        try {
            return VersionConstraint.parse(version);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(op, release, e.getMessage()
                    + "; use an exact version (1.2.3) or a constraint such as '>=1.2 <2.0', '~1.4' or '^2'");
        }
    }

    static String newest(java.util.Collection<String> versions) {
        List<SemVer> parsed = new ArrayList<>();
        versions.forEach(v -> SemVer.parse(v).ifPresent(parsed::add));
        parsed.sort(java.util.Comparator.reverseOrder());
        List<String> shown = parsed.stream().limit(10).map(SemVer::original).toList();
        return String.join(", ", shown) + (parsed.size() > shown.size() ? ", ... (" + parsed.size() + " in all)" : "");
    }

    static void logChoice(Operation op, String ref, String requested, String chosen, String method) {
        // DEBUG: a change logs one INFO line, its outcome; the version it took is in its result and the audit trail.
        LOG.debug("{}: chart {} resolved {} to version {} ({})", op.tag(), ref,
                requested == null ? "latest" : "'" + requested + "'", chosen, method);
    }
}
