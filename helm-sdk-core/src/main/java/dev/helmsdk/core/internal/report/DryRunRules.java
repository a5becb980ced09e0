package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.report.ReleaseValidator;
import dev.helmsdk.core.BuiltInValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/**
 * A manager's own dry-run rules, put together when it is built: its validators (given, found, built-in) and its
 * policy files (compiled then, so a broken rule stops the build).
 *
 * @param validators the validators, one check each, as the group {@code validators}
 * @param policies   the policies, one check each, as the group {@code policy}
 */
public record DryRunRules(DryRunCheck validators, DryRunCheck policies) {

    /** No validators and no policies. */
    public static DryRunRules none() {
        return new DryRunRules(new CheckGroup("validators", List.of()), new CheckGroup("policy", List.of()));
    }

    /**
     * @param validators  the validators given and found, in order
     * @param builtIns    the built-in validators enabled
     * @param policyFiles the policy files
     * @throws dev.helmsdk.api.InvalidRequestException when a policy file cannot be read or a rule does not compile, or
     *                                                 CEL is not on the class path
     */
    public static DryRunRules of(List<ReleaseValidator> validators, Collection<BuiltInValidator> builtIns, List<Path> policyFiles,
                                 ObjectMapper yaml) {
        List<DryRunCheck> checks = new ArrayList<>();
        EnumSet<BuiltInValidator> enabled = builtIns.isEmpty() ? EnumSet.noneOf(BuiltInValidator.class) : EnumSet.copyOf(builtIns);
        for (BuiltInValidator b : enabled) {
            checks.add(b == BuiltInValidator.CHART_VERSION_PINNED ? new ChartVersionPinnedCheck()
                    : b == BuiltInValidator.DEPENDENCY_VERSIONS_PINNED ? new DependencyVersionsPinnedCheck()
                    : new ValidatorCheck(BuiltInValidators.of(b)));
        }
        validators.forEach(v -> checks.add(new ValidatorCheck(v)));
        return new DryRunRules(new CheckGroup("validators", checks), PolicyRules.load(policyFiles, yaml));
    }
}
