package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.Release;

import java.util.List;
import java.util.Locale;

/** Releases for people (Helm's layout) or as JSON (Helm's field names for {@code status} and {@code history}). */
final class ReleasePrinter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Terminal t;

    ReleasePrinter(Terminal t) {
        this.t = t;
    }

    void status(Release r, boolean json) {
        if (json) {
            t.out().println(write(node(r)));
            return;
        }
        t.out().printf("NAME: %s%nNAMESPACE: %s%nREVISION: %d%nSTATUS: %s%nCHART: %s%nAPP VERSION: %s%nLAST DEPLOYED: %s%nDESCRIPTION: %s%n",
                r.name(), r.namespace(), r.revision(), status(r), r.chart(), r.appVersion(),
                r.lastDeployedAt().map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse(""), r.description());
    }

    /** Helm's line for an uninstall: the release's last revision is no longer deployed, so its status is not shown. */
    void uninstalled(Release last, boolean historyKept) {
        t.out().printf("release \"%s\" uninstalled%s%n", last.name(),
                historyKept ? " (its history is kept: revision " + last.revision() + " is the last)" : "");
    }

    void history(List<Release> revisions, boolean json) {
        if (json) {
            ArrayNode a = JSON.createArrayNode();
            revisions.forEach(r -> a.add(node(r)));
            t.out().println(write(a));
            return;
        }
        t.out().printf("%-9s %-25s %-16s %-30s %-12s %s%n", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION");
        for (Release r : revisions) {
            t.out().printf("%-9d %-25s %-16s %-30s %-12s %s%n", r.revision(), r.lastDeployedAt().map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).orElse(""),
                    r.status().helmName(), r.chart(), r.appVersion(), r.description());
        }
    }

    private String status(Release r) {
        String s = r.status().helmName();
        return switch (r.status()) {
            case DEPLOYED -> t.green(s);
            case FAILED -> t.red(s);
            default -> t.yellow(s);
        };
    }

    private static ObjectNode node(Release r) {
        ObjectNode n = JSON.createObjectNode().put("name", r.name()).put("namespace", r.namespace()).put("revision", r.revision())
                .put("status", r.status().helmName()).put("chart", r.chart()).put("app_version", r.appVersion());
        r.lastDeployedAt().ifPresent(i -> n.put("updated", i.toString()));
        return n.put("description", r.description());
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
