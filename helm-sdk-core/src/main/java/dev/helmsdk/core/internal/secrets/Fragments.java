package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

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

    static Object select(Object whole, SecretReference ref, SecretResolver resolver, Failure failure) {
        Object tree = whole;
        if (whole instanceof String text) {
            try {
                LoaderOptions options = new LoaderOptions();
                options.setMaxAliasesForCollections(50);
                tree = new Yaml(new SafeConstructor(options)).load(text);
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
