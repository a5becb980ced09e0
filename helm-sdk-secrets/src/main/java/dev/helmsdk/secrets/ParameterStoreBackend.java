package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ref+awsssm://<path>[?region=&profile=&version=&mode=&recursive=][#/key]}, as vals:
 * <ul>
 *   <li>no fragment: {@code GetParameter} with decryption (SecureString too), the parameter's value;
 *       {@code ?version=N} asks for that version ({@code name:N});</li>
 *   <li>a fragment and {@code ?mode=singleparam}: that parameter's value parsed as YAML or JSON, the key selected;</li>
 *   <li>a fragment and no mode: the parameters under the path ({@code GetParametersByPath}, with
 *       {@code ?recursive=true} the whole subtree) as a tree of their names, the key selected.</li>
 * </ul>
 * A path without a leading {@code /} gets one, as vals.
 */
final class ParameterStoreBackend extends SdkBackend<SsmClientBuilder, SsmClient> {

    private static final String SERVICE = "Parameter Store";


    ParameterStoreBackend(AwsSettings settings) {
        super(new AwsClients<>(SsmClient::builder, SERVICE, "AWS_ENDPOINT_URL_SSM", settings));
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context, SecretResolver resolver) {
        String path = reference.path();
        if (path.isBlank()) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "no parameter name: write ref+awsssm://<path/to/parameter>");
        }
        String name = path.startsWith("/") || path.startsWith("arn:") ? path : "/" + path;
        String mode = reference.param("mode").orElse("");
        if (!mode.isEmpty() && !mode.equals("singleparam")) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "unknown mode '" + mode + "': leave it out (a fragment selects among the parameters under the path) or write mode=singleparam");
        }
        AwsClients.Client<SsmClient> client = clients.client(reference, context, resolver);
        if (reference.fragment().isPresent() && mode.isEmpty()) {
            return reference.select(byPath(name, client, reference, context, resolver)).orElseThrow(() -> SecretResolutionException.of(
                    context, reference, resolver, Reason.MISSING_KEY,
                    "no parameter " + reference.fragment().orElseThrow() + " under " + name + " in " + client.region()));
        }
        String version = reference.param("version").filter(v -> !v.isEmpty()).orElse(null);
        if (version != null && !version.matches("\\d{1,18}")) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE, "version '" + version + "' is not a number");
        }
        String selector = version == null ? name : name + ":" + version;
        String what = "parameter " + selector + " in " + client.region();
        String value = AwsErrors.call(() -> client.sdk().getParameter(r -> r.name(selector).withDecryption(true)
                        .overrideConfiguration(AwsErrors.within(context, reference, resolver))).parameter().value(),
                SERVICE, client.region(), "no " + what, reference, context, resolver);
        return reference.fragment().isEmpty() ? value : SecretDocuments.select(value, what, reference, context, resolver);
    }

    /** The parameters under {@code prefix} as a tree of their names' segments, every page asked within the time left. */
    private static Map<String, Object> byPath(String prefix, AwsClients.Client<SsmClient> client, SecretReference reference,
                                              SecretContext context, SecretResolver resolver) {
        boolean recursive = reference.param("recursive").map("true"::equals).orElse(false);
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        Map<String, Object> tree = new LinkedHashMap<>();
        String token = null;
        int found = 0;
        do {
            GetParametersByPathRequest request = GetParametersByPathRequest.builder().path(prefix).recursive(recursive).withDecryption(true)
                    .nextToken(token).overrideConfiguration(AwsErrors.within(context, reference, resolver)).build();
            GetParametersByPathResponse page = AwsErrors.call(() -> client.sdk().getParametersByPath(request), SERVICE, client.region(),
                    "no parameters under " + prefix + " in " + client.region(), reference, context, resolver);
            for (Parameter p : page.parameters()) {
                if (p.name().startsWith(base)) {
                    put(tree, p.name().substring(base.length()).split("/"), p.value());
                    found++;
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        if (found == 0) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.NOT_FOUND,
                    "no parameters under " + prefix + " in " + client.region() + (recursive ? "" : " (one level; add recursive=true for the subtree)"));
        }
        return tree;
    }

    /** /a/b=V1 and /a/b/c=V2 give {a: {b: {c: V2}}} whatever their order, as vals' recursive mode. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] segments, String value) {
        Map<String, Object> at = tree;
        for (int i = 0; i < segments.length - 1; i++) {
            Object next = at.get(segments[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(segments[i], next);
            }
            at = (Map<String, Object>) next;
        }
        if (!(at.get(segments[segments.length - 1]) instanceof Map)) {
            at.put(segments[segments.length - 1], value);
        }
    }
}
