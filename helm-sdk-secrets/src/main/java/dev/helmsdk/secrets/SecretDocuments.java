package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A secret's text as a YAML or JSON document from which a reference's {@code #/fragment} selects a key,
 * as vals does for files and cloud secrets alike. Messages name the document ({@code what}), never its text.
 */
final class SecretDocuments {

    private SecretDocuments() {
    }

    /**
     * What {@code reference}'s fragment selects in {@code text}, keeping its type.
     *
     * @param what names the document in messages, e.g. {@code "file /etc/s.yaml"} or {@code "secret db"}
     */
    static Object select(String text, String what, SecretReference reference, SecretContext context, SecretResolver resolver) {
        Object tree;
        try {
            tree = yaml().load(text);
        } catch (YAMLException e) {
            // The parser's message quotes the text: only that it failed goes into ours.
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    what + " is not YAML or JSON, so no key can be selected from it");
        }
        if (tree == null) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.MISSING_KEY, what + " is empty");
        }
        return reference.select(tree).orElseThrow(() -> SecretResolutionException.of(context, reference, resolver, Reason.MISSING_KEY,
                what + " has no key " + reference.fragment().orElseThrow()));
    }

    /** SafeConstructor (no arbitrary types); timestamps stay text, as Helm's values reader leaves them. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        Resolver noTimestamps = new Resolver() {
            @Override
            public void addImplicitResolver(org.yaml.snakeyaml.nodes.Tag tag, java.util.regex.Pattern regexp, String first, int limit) {
                if (!org.yaml.snakeyaml.nodes.Tag.TIMESTAMP.equals(tag)) {
                    super.addImplicitResolver(tag, regexp, first, limit);
                }
            }
        };
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, noTimestamps);
    }
}
