package dev.helmsdk.api.spi;

import dev.helmsdk.api.Timeouts;

import java.util.List;
import java.util.Objects;

/**
 * A drift check of a release: its deployed revision compared with the live cluster.
 *
 * @param releaseName the release
 * @param namespace   its namespace
 * @param ignores     fields not compared (nor corrected), each for every object or for some
 * @param timeouts    the limits for this call ({@link Timeouts#start()} bounds it, the lock's wait included)
 */
public record DriftSpec(String releaseName, String namespace, List<Ignore> ignores, Timeouts timeouts) {

    /** Requires everything; copies the rules. */
    public DriftSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        ignores = List.copyOf(Objects.requireNonNull(ignores, "ignores"));
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** A check with no ignore rules. */
    public static DriftSpec of(String releaseName, String namespace, Timeouts timeouts) {
        return new DriftSpec(releaseName, namespace, List.of(), timeouts);
    }

    /** A copy with {@code namespace}. */
    public DriftSpec withNamespace(String namespace) {
        return new DriftSpec(releaseName, namespace, ignores, timeouts);
    }

    /** A copy with {@code timeouts}. */
    public DriftSpec withTimeouts(Timeouts timeouts) {
        return new DriftSpec(releaseName, namespace, ignores, timeouts);
    }

    /** A copy with {@code ignore} added to the rules. */
    public DriftSpec plusIgnore(Ignore ignore) {
        Objects.requireNonNull(ignore, "ignore");
        List<Ignore> more = new java.util.ArrayList<>(ignores);
        more.add(ignore);
        return new DriftSpec(releaseName, namespace, more, timeouts);
    }

    /**
     * A field left out of the comparison, as Flux's drift detection {@code ignore} rules are: a JSON pointer and the
     * objects it applies to. A pointer covers the field and everything under it ({@code /spec/template} covers
     * {@code /spec/template/spec/containers/0/image}); list items are named by index.
     *
     * @param kind the objects' kind ({@code Deployment}), or {@value #ANY} for every kind
     * @param name the objects' name, or {@value #ANY} for every name
     * @param path a JSON pointer (RFC 6901), such as {@code /spec/replicas}
     */
    public record Ignore(String kind, String name, String path) {

        /** Matches every kind, or every name. */
        public static final String ANY = "*";

        /** Requires every component. */
        public Ignore {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
        }
    }
}
