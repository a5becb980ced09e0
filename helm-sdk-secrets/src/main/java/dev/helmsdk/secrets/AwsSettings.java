package dev.helmsdk.secrets;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where an AWS resolver's SDK clients take their configuration from: the SDK's own default chains
 * (no environment), or, for tests, an environment read instead of the process's for the region, the
 * endpoint and static credentials.
 *
 * @param environment the variables to read instead of the process's, or empty for the SDK's chains
 */
record AwsSettings(Optional<Function<String, String>> environment) {

    static final AwsSettings SDK_DEFAULTS = new AwsSettings(Optional.empty());
}
