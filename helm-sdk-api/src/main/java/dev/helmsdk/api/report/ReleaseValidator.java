package dev.helmsdk.api.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A check of one's own that every dry run runs on the objects a change would apply, reporting
 * {@link Finding}s with check {@code validator:<name()>}. Found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.helmsdk.api.report.ReleaseValidator}) and given on the manager's builder.
 * Thread-safe; called on the operation's thread; must not change anything. An exception from
 * {@link #validate} is a finding of its own (an {@link Severity#ERROR}, code {@code validator.failed}), never
 * a failed dry run.
 */
public interface ReleaseValidator {

    /** A stable, short name: lower-case words joined by {@code -} ({@code resource-limits}). */
    String name();

    /**
     * Checks what the change would apply.
     *
     * @param input the release and its objects
     * @return what is wrong; empty when nothing is
     */
    List<Finding> validate(Input input);

    /**
     * What a validator sees.
     *
     * @param releaseName  the release
     * @param namespace    its namespace
     * @param chartName    the chart's name
     * @param chartVersion the chart's version
     * @param objects      each object the change would apply, as parsed from the rendered manifest (maps, lists,
     *                     strings, numbers, booleans); Secrets with their data removed
     */
    record Input(String releaseName, String namespace, String chartName, String chartVersion,
                 List<Map<String, Object>> objects) {
        /** Requires every component; copies the list. */
        public Input {
            Objects.requireNonNull(releaseName, "releaseName");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(chartName, "chartName");
            Objects.requireNonNull(chartVersion, "chartVersion");
            objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        }
    }
}
