package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ReleaseValidator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ReleaseValidator} as a check named {@code validator:<name>}: it sees the objects with Secrets' data
 * removed, its findings carry its check name and masked text; when it throws, {@link DryRunChecks} makes that an
 * error {@code validator.failed}.
 */
final class ValidatorCheck implements DryRunCheck {

    private final ReleaseValidator validator;

    ValidatorCheck(ReleaseValidator validator) {
        this.validator = validator;
    }

    @Override
    public String name() {
        return "validator:" + validator.name();
    }

    @Override
    public String failureCode() {
        return "validator.failed";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return true;
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        List<Finding> found = validator.validate(input(context));
        if (found == null) {
            throw new IllegalStateException("validator '" + validator.name() + "' returned null instead of a list");
        }
        for (Finding f : found) {
            report.add(new Finding(name(), f.code(), f.severity(), f.object(), f.field(), context.mask().apply(f.message()),
                    f.hint().map(context.mask())));
        }
    }

    /** What validators see: the release and its objects, Secrets without {@code data} and {@code stringData}. */
    static ReleaseValidator.Input input(CheckContext context) {
        return new ReleaseValidator.Input(context.releaseName(), context.namespace(), context.chartName(), context.chartVersion(),
                withoutSecretData(context.objects()));
    }

    /** The objects, each Secret a copy without its data; the others as they are. */
    static List<Map<String, Object>> withoutSecretData(List<Map<String, Object>> objects) {
        List<Map<String, Object>> out = new ArrayList<>(objects.size());
        for (Map<String, Object> o : objects) {
            if ("Secret".equals(o.get("kind")) && "v1".equals(o.get("apiVersion"))) {
                Map<String, Object> copy = new LinkedHashMap<>(o);
                copy.remove("data");
                copy.remove("stringData");
                out.add(java.util.Collections.unmodifiableMap(copy));
            } else {
                out.add(o);
            }
        }
        return out;
    }
}
