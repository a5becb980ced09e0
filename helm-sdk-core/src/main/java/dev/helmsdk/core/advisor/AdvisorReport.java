package dev.helmsdk.core.advisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One run of an {@link UpgradeAdvisor}: a {@link ReleaseAdvice} per release, sorted by namespace then name.
 *
 * <p>{@link #toJson()} gives it as one JSON object (schema version {@value #SCHEMA_VERSION}):
 * <pre>
 * { "schemaVersion": 1, "checkedAt": "2026-12-03T19:00:00Z", "policy": "minor", "preReleases": false,
 *   "summary": { "releases": 3, "upgradeAvailable": 1, "heldBack": 1, "upToDate": 0, "sourceFailed": 1, "noSource": 0, "unknown": 0 },
 *   "releases": [ {
 *     "namespace": "apps", "release": "web", "chart": "podinfo", "currentVersion": "6.5.0",
 *     "status": "upgrade_available",        // up_to_date|upgrade_available|held_back|source_failed|no_source|unknown
 *     "newestAllowed": "6.14.1",            // absent when none
 *     "newestOverall": "7.0.0",             // absent when none
 *     "distance": "major",                  // none|patch|minor|major|unknown
 *     "versionsBehind": 12,
 *     "notes": { "version": "6.14.1", "appVersion": "6.14.1", "described": true,
 *                "changes": [ { "kind": "fixed", "description": "..." } ] },
 *     "source": "https://charts.example.com podinfo",   // absent when no_source
 *     "problem": "..."                      // absent unless source_failed, no_source or unknown
 *   } ] }
 * </pre>
 * Tags are the enum constants in lower snake case. Fields may be added in later versions of the same
 * schema version; none is removed or changes meaning without a new schema version.
 *
 * @param checkedAt   when the run started
 * @param policy      the policy it applied
 * @param preReleases whether pre-release versions counted
 * @param releases    one advice per release
 */
public record AdvisorReport(Instant checkedAt, UpgradePolicy policy, boolean preReleases, List<ReleaseAdvice> releases) {

    /** The version of the JSON form {@link #toJson()} writes. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the list; rejects nulls. */
    public AdvisorReport {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(policy, "policy");
        releases = List.copyOf(Objects.requireNonNull(releases, "releases"));
    }

    /** The releases with an allowed upgrade, in report order. */
    public List<ReleaseAdvice> upgradable() {
        return withStatus(ReleaseAdvice.Status.UPGRADE_AVAILABLE);
    }

    /** The releases with the given status, in report order. */
    public List<ReleaseAdvice> withStatus(ReleaseAdvice.Status status) {
        Objects.requireNonNull(status, "status");
        return releases.stream().filter(a -> a.status() == status).toList();
    }

    /** The report as indented JSON, in the form the class documentation shows. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("checkedAt", checkedAt.toString());
        o.put("policy", tag(policy));
        o.put("preReleases", preReleases);
        ObjectNode summary = o.putObject("summary").put("releases", releases.size());
        for (ReleaseAdvice.Status s : ReleaseAdvice.Status.values()) {
            summary.put(camel(s), withStatus(s).size());
        }
        ArrayNode list = o.putArray("releases");
        for (ReleaseAdvice a : releases) {
            ObjectNode n = list.addObject().put("namespace", a.namespace()).put("release", a.release()).put("chart", a.chart())
                    .put("currentVersion", a.currentVersion()).put("status", tag(a.status()));
            putIfSet(n, "newestAllowed", a.newestAllowed());
            putIfSet(n, "newestOverall", a.newestOverall());
            n.put("distance", tag(a.distance())).put("versionsBehind", a.versionsBehind());
            ReleaseAdvice.ChartNotes notes = a.notes();
            ObjectNode nn = n.putObject("notes");
            putIfSet(nn, "version", notes.version());
            putIfSet(nn, "appVersion", notes.appVersion());
            nn.put("described", notes.described());
            ArrayNode changes = nn.putArray("changes");
            notes.changes().forEach(c -> changes.addObject().put("kind", c.kind()).put("description", c.description()));
            putIfSet(n, "source", a.source());
            putIfSet(n, "problem", a.problem());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the advisor report as JSON", e);
        }
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (!value.isEmpty()) {
            n.put(field, value);
        }
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code UPGRADE_AVAILABLE} as {@code upgradeAvailable}. */
    private static String camel(Enum<?> e) {
        String[] parts = tag(e).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }
}
