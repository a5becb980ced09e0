package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.report.Severity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A policy file: YAML, one policy per document, each written like a ValidatingAdmissionPolicy's validations:
 * <pre>
 * name: replicas                 # the findings' check is policy:replicas
 * severity: ERROR                # ERROR (default), WARNING or INFO
 * match:                         # optional: which rendered objects; absent, every object
 *   apiGroups: ["apps"]          # "" is the core group, "*" any
 *   kinds: ["Deployment"]        # "*" any
 * params:                        # optional: any YAML, the expressions' params
 *   min: 2
 * validations:
 *   - expression: "object.spec.replicas >= params.min"   # CEL, true when the object is fine
 *     message: "run at least two replicas"               # optional
 *     messageExpression: "'replicas: ' + string(object.spec.replicas)"   # optional, wins over message
 * </pre>
 * {@code object} is each rendered object, {@code oldObject} its deployed version (an upgrade's) or {@code null}.
 */
record PolicyFile(Path file, List<Policy> policies) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    /**
     * One policy.
     *
     * @param apiGroups the API groups it matches; empty for any
     * @param kinds     the kinds it matches; empty for any
     * @param params    its params, or {@code null}
     */
    record Policy(Path file, String name, Severity severity, List<String> apiGroups, List<String> kinds, Object params,
                  List<Validation> validations) {

        boolean matches(Map<String, Object> object) {
            String apiVersion = String.valueOf(object.getOrDefault("apiVersion", ""));
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            return (apiGroups.isEmpty() || apiGroups.contains("*") || apiGroups.contains(group))
                    && (kinds.isEmpty() || kinds.contains("*") || kinds.contains(String.valueOf(object.get("kind"))));
        }
    }

    /** One validation: a CEL expression true when the object is fine, and what to say when it is not. */
    record Validation(String expression, String message, String messageExpression) {
    }

    /** Reads {@code file}; a file that is not such a policy is refused naming the file and what is wrong. */
    static PolicyFile read(Path file, ObjectMapper yaml) {
        List<Policy> policies = new ArrayList<>();
        try (MappingIterator<Object> docs = yaml.readerFor(Object.class).readValues(file.toFile())) {
            int index = 0;
            while (docs.hasNext()) {
                Object doc = docs.next();
                index++;
                if (doc == null) {
                    continue;
                }
                policies.add(policy(file, index, doc));
            }
        } catch (JsonProcessingException e) {
            throw bad(file, "is not YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad(file, "cannot be read: " + e.getMessage());
        }
        if (policies.isEmpty()) {
            throw bad(file, "holds no policy");
        }
        return new PolicyFile(file, List.copyOf(policies));
    }

    private static Policy policy(Path file, int index, Object doc) {
        if (!(doc instanceof Map<?, ?> m)) {
            throw bad(file, "document " + index + " is not a mapping (name, severity, match, params, validations)");
        }
        for (Object key : m.keySet()) {
            if (!List.of("name", "severity", "match", "params", "validations").contains(String.valueOf(key))) {
                throw bad(file, "document " + index + " has unknown key '" + key + "' (name, severity, match, params, validations)");
            }
        }
        if (!(m.get("name") instanceof String name) || !NAME.matcher(name).matches()) {
            throw bad(file, "document " + index + " needs a name of lower-case letters, digits, '-' and '.'");
        }
        String where = "policy '" + name + "'";
        Severity severity;
        try {
            severity = m.get("severity") == null ? Severity.ERROR : Severity.valueOf(String.valueOf(m.get("severity")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(file, where + " has severity '" + m.get("severity") + "'; use ERROR, WARNING or INFO");
        }
        List<String> groups = List.of();
        List<String> kinds = List.of();
        if (m.get("match") instanceof Map<?, ?> match) {
            groups = strings(file, where + " match.apiGroups", match.get("apiGroups"));
            kinds = strings(file, where + " match.kinds", match.get("kinds"));
        } else if (m.get("match") != null) {
            throw bad(file, where + " has a match that is not a mapping of apiGroups and kinds");
        }
        if (!(m.get("validations") instanceof List<?> vs) || vs.isEmpty()) {
            throw bad(file, where + " needs validations: a list of {expression, message}");
        }
        List<Validation> validations = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            if (!(vs.get(i) instanceof Map<?, ?> v) || !(v.get("expression") instanceof String expression) || expression.isBlank()) {
                throw bad(file, where + " validation " + (i + 1) + " needs an expression");
            }
            validations.add(new Validation(expression, text(v.get("message")), text(v.get("messageExpression"))));
        }
        return new Policy(file, name, severity, groups, kinds, m.get("params"), List.copyOf(validations));
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static List<String> strings(Path file, String what, Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String))) {
            throw bad(file, what + " must be a list of strings");
        }
        return l.stream().map(String::valueOf).toList();
    }

    static InvalidRequestException bad(Path file, String what) {
        return new InvalidRequestException(Operation.CONFIGURE, null, "policy file " + file + " " + what);
    }
}
