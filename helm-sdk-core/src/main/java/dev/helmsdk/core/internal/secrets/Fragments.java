package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Selects a reference's fragment from the whole secret, for resolvers that let the SDK do it
 * ({@link SecretResolver#fragmentSelectsFromWhole}): a tree as it is, a text read as YAML (so
 * JSON too), as vals reads a secret's text for a fragment.
 */
final class Fragments {

    /** How a failure is made: the reference, the resolver, the reason, what to say. */
    interface Failure {
        SecretResolutionException fail(String reference, String resolver, Reason reason, String detail, Throwable cause);
    }

    private Fragments() {
    }

    /** SafeConstructor (no arbitrary types); timestamps stay text, as the resolvers' own selection and Helm's values reader leave them. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        Resolver noTimestamps = new Resolver() {
            @Override
            public void addImplicitResolver(Tag tag, java.util.regex.Pattern regexp, String first, int limit) {
                if (!Tag.TIMESTAMP.equals(tag)) {
                    super.addImplicitResolver(tag, regexp, first, limit);
                }
            }
        };
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, noTimestamps);
    }

    static Object select(Object whole, SecretReference ref, SecretResolver resolver, Failure failure) {
        Object tree = whole;
        if (whole instanceof String text) {
            try {
                tree = yaml().load(text);
            } catch (YAMLException e) {
                // Not the parser's message: it may quote the secret's text.
                throw failure.fail(ref.text(), resolver.getClass().getName(), Reason.INVALID_REFERENCE,
                        "it has a fragment, but the secret is not YAML or JSON with keys to select from", null);
            }
        }
        if (tree == null) {
            throw failure.fail(ref.text(), resolver.getClass().getName(), Reason.MISSING_KEY, "the secret is empty: it has no keys", null);
        }
        return ref.select(tree).orElseThrow(() -> failure.fail(ref.text(), resolver.getClass().getName(), Reason.MISSING_KEY,
                "the secret has no key " + ref.fragment().orElse(""), null));
    }
}
