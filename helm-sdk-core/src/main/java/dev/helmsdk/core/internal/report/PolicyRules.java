package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The policy files of a manager, read and compiled when it is built (so a rule that does not compile stops the
 * build, naming the file and rule), as one group of checks. CEL ({@code dev.cel:cel}) is an optional dependency:
 * only this class's callers with policy files need it, and without it the build says so.
 */
final class PolicyRules {

    private PolicyRules() {
    }

    static DryRunCheck load(List<Path> files, ObjectMapper yaml) {
        if (files.isEmpty()) {
            return new CheckGroup("policy", List.of());
        }
        try {
            Class.forName("dev.cel.bundle.CelFactory", false, PolicyRules.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidRequestException(Operation.CONFIGURE, null, "policy files " + files + " are written in CEL, which is not on"
                    + " the class path: add the dependency dev.cel:cel (0.14.0) to use policyFile(...), or remove the policy files");
        }
        List<DryRunCheck> checks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            for (PolicyFile.Policy policy : PolicyFile.read(file, yaml).policies()) {
                if (!names.add(policy.name())) {
                    throw PolicyFile.bad(file, "names policy '" + policy.name() + "' again: each policy needs a name of its own");
                }
                checks.add(new CelPolicyCheck(policy));
            }
        }
        return new CheckGroup("policy", checks);
    }
}
