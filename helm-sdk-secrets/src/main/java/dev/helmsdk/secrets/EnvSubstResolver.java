package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * vals' {@code envsubst} scheme: {@code ref+envsubst://$VAR} (or {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code $$} for a dollar) is its text with the variables substituted from the environment, e.g.
 * {@code postgres://app:ref+envsubst://$DB_PASSWORD+@db:5432}.
 *
 * <p>Unlike vals (whose envsubst library substitutes an empty string), a variable that is not set
 * and has no default is a {@code MISSING_KEY} error: a missing secret is never deployed as empty.
 */
public final class EnvSubstResolver implements SecretResolver {

    private final Function<String, String> environment;

    /** Substitutes from this process's environment ({@link System#getenv(String)}). */
    public EnvSubstResolver() {
        this(System::getenv);
    }

    /**
     * Substitutes from {@code environment}: a variable's value, or {@code null} when it is not set.
     *
     * @param environment the variables, e.g. {@code Map.of("PW", "...")::get} in a test
     */
    public EnvSubstResolver(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("envsubst");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        String text = reference.path().strip();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1); // as vals: ref+envsubst://$VAR/ is $VAR
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE, "'${' without a closing '}'");
                }
                String inside = text.substring(i + 2, close);
                int dash = inside.indexOf(":-");
                String name = dash < 0 ? inside : inside.substring(0, dash);
                out.append(lookup(name, dash < 0 ? null : inside.substring(dash + 2), reference, context));
                i = close + 1;
            } else {
                int end = i + 1;
                while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                if (end == i + 1) {
                    out.append(c);
                    i++;
                } else {
                    out.append(lookup(text.substring(i + 1, end), null, reference, context));
                    i = end;
                }
            }
        }
        return out.toString();
    }

    private String lookup(String name, String fallback, SecretReference reference, SecretContext context) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE,
                    "'" + name + "' is not an environment variable name");
        }
        String value = environment.apply(name);
        if (value == null || value.isEmpty() && fallback != null) {
            if (fallback != null) {
                return fallback;
            }
            throw SecretResolutionException.of(context, reference, this, Reason.MISSING_KEY,
                    "environment variable " + name + " is not set; set it, or give a default with ${" + name + ":-default}");
        }
        return value;
    }

    @Override
    public String toString() {
        return "EnvSubstResolver";
    }
}
