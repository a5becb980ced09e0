package dev.helmsdk.core.advisor;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** How far an advised upgrade may move from a release's current chart version. */
public enum UpgradePolicy {
    /** Patch versions only: the same major and minor version ({@code 1.4.2} to {@code 1.4.7}). */
    PATCH,
    /** Minor and patch versions: the same major version ({@code 1.4.2} to {@code 1.9.0}). */
    MINOR,
    /** Any newer version, major ones included. */
    MAJOR;

    /**
     * The policy named {@code name}, in any case: {@code patch}, {@code minor} or {@code major}.
     *
     * @param name the policy's name, e.g. from a configuration file
     * @return the policy
     * @throws InvalidRequestException naming the bad value and the valid ones
     */
    public static UpgradePolicy of(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(Operation.CONFIGURE, null, "unknown upgrade policy '" + name + "'; valid: "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
