package dev.helmsdk.core.internal.report;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy of a {@link PolicyFile}, its CEL expressions compiled when the manager is built: for every rendered
 * object it matches, each validation that is false is a finding {@code policy.violated} (check
 * {@code policy:<name>}, the policy's severity, its message); one that cannot be evaluated (a missing field not
 * guarded by {@code has()}) an error {@code policy.error}. Secrets are seen without their data, as by validators.
 */
final class CelPolicyCheck implements DryRunCheck {

    /** One CEL environment for every policy: the variables a ValidatingAdmissionPolicy's validations have. */
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("params", SimpleType.DYN)
            .build();

    private final PolicyFile.Policy policy;
    private final List<Compiled> validations;

    private record Compiled(PolicyFile.Validation source, CelRuntime.Program expression, CelRuntime.Program message) {
    }

    /** Compiles {@code policy}'s expressions; one that does not compile is refused naming the file, policy and expression. */
    CelPolicyCheck(PolicyFile.Policy policy) {
        this.policy = policy;
        List<Compiled> compiled = new ArrayList<>();
        for (int i = 0; i < policy.validations().size(); i++) {
            PolicyFile.Validation v = policy.validations().get(i);
            compiled.add(new Compiled(v, program(i, "expression", v.expression()),
                    v.messageExpression() == null ? null : program(i, "messageExpression", v.messageExpression())));
        }
        this.validations = List.copyOf(compiled);
    }

    private CelRuntime.Program program(int index, String what, String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            return CEL.createProgram(ast);
        } catch (CelValidationException e) {
            throw PolicyFile.bad(policy.file(), "policy '" + policy.name() + "' validation " + (index + 1) + ": the " + what
                    + " '" + expression + "' does not compile: " + e.getMessage());
        } catch (dev.cel.common.CelException e) {
            throw PolicyFile.bad(policy.file(), "policy '" + policy.name() + "' validation " + (index + 1) + ": the " + what
                    + " '" + expression + "' cannot be run: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "policy:" + policy.name();
    }

    @Override
    public String failureCode() {
        return "policy.failed";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return true;
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        Map<String, Map<String, Object>> deployed = deployed(context);
        Object params = cel(policy.params());
        for (Map<String, Object> object : ValidatorCheck.withoutSecretData(context.objects())) {
            if (!policy.matches(object)) {
                continue;
            }
            ObjectRef ref = PodTemplates.ref(object, context.namespace());
            Map<String, Object> vars = new HashMap<>();
            vars.put("object", cel(object));
            vars.put("oldObject", cel(deployed.get(key(ref))));
            vars.put("params", params);
            for (Compiled v : validations) {
                evaluate(v, vars, ref, context, report);
            }
        }
    }

    private void evaluate(Compiled v, Map<String, Object> vars, ObjectRef ref, CheckContext context, ReportBuilder report) {
        Object result;
        try {
            result = v.expression().eval(vars);
        } catch (CelEvaluationException e) {
            report.add(Finding.about(name(), "policy.error", Severity.ERROR, ref, null,
                    context.mask().apply("'" + v.source().expression() + "' cannot be evaluated for " + ref.id() + ": " + e.getMessage()),
                    "guard optional fields with has(), in policy file " + policy.file()));
            return;
        }
        if (Boolean.TRUE.equals(result)) {
            return;
        }
        String message = v.source().message() != null ? v.source().message() : "failed rule: " + v.source().expression();
        if (!(result instanceof Boolean)) {
            message = "'" + v.source().expression() + "' is not true or false";
        } else if (v.message() != null) {
            try {
                if (v.message().eval(vars) instanceof String s && !s.isBlank()) {
                    message = s;
                }
            } catch (CelEvaluationException e) {
                // a message that cannot be built falls back to message, as Kubernetes does
            }
        }
        report.add(Finding.about(name(), "policy.violated", policy.severity(), ref, null, context.mask().apply(ref.id() + ": " + message),
                "policy file " + policy.file()));
    }

    /** The deployed revision's objects by kind, namespace and name, for {@code oldObject}. */
    private Map<String, Map<String, Object>> deployed(CheckContext context) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> o : KubeObjects.deployed(context)) {
            out.put(key(PodTemplates.ref(o, context.namespace())), ValidatorCheck.withoutSecretData(List.of(o)).get(0));
        }
        return out;
    }

    private static String key(ObjectRef ref) {
        String group = ref.apiVersion().contains("/") ? ref.apiVersion().substring(0, ref.apiVersion().indexOf('/')) : "";
        return group + "/" + ref.kind() + "/" + ref.namespace() + "/" + ref.name();
    }

    /** As CEL takes values: integers as {@code long}, decimals as {@code double}, {@code null} as CEL's null. */
    private static Object cel(Object v) {
        if (v == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), cel(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(cel(x)));
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        return v;
    }
}
