package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code ref+awssecrets://<secret-id>[?region=&profile=&version_stage=&version_id=][#/key]}: one
 * {@code GetSecretValue}, as vals. Its {@code SecretString}, or its {@code SecretBinary} read as UTF-8
 * text (vals takes the bytes as a Go string; a binary that is not UTF-8 cannot be a value here and
 * is an error). With a fragment the text is parsed as YAML or JSON and the key selected.
 */
final class SecretsManagerBackend extends SdkBackend<SecretsManagerClientBuilder, SecretsManagerClient> {

    private static final String SERVICE = "Secrets Manager";


    SecretsManagerBackend(AwsSettings settings) {
        super(new AwsClients<>(SecretsManagerClient::builder, SERVICE, "AWS_ENDPOINT_URL_SECRETS_MANAGER", settings));
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context, SecretResolver resolver) {
        String id = reference.path();
        if (id.isBlank()) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "no secret id: write ref+awssecrets://<name or ARN>");
        }
        AwsClients.Client<SecretsManagerClient> client = clients.client(reference, context, resolver);
        GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(id)
                .overrideConfiguration(AwsErrors.within(context, reference, resolver));
        reference.param("version_stage").filter(s -> !s.isEmpty()).ifPresent(request::versionStage);
        reference.param("version_id").filter(s -> !s.isEmpty()).ifPresent(request::versionId);
        String version = reference.param("version_id").filter(v -> !v.isEmpty()).map(v -> " (version " + v + ")")
                .or(() -> reference.param("version_stage").filter(v -> !v.isEmpty()).map(v -> " (stage " + v + ")")).orElse("");
        String what = "secret '" + id + "'" + version + " in " + client.region();
        GetSecretValueResponse response = AwsErrors.call(() -> client.sdk().getSecretValue(request.build()), SERVICE, client.region(),
                "no " + what, reference, context, resolver);
        String text;
        if (response.secretString() != null) {
            text = response.secretString();
        } else if (response.secretBinary() != null) {
            text = utf8(response.secretBinary().asByteBuffer(), what, reference, context, resolver);
        } else {
            throw SecretResolutionException.of(context, reference, resolver, Reason.NOT_FOUND, what + " has neither SecretString nor SecretBinary");
        }
        return reference.fragment().isEmpty() ? text : SecretDocuments.select(text, what, reference, context, resolver);
    }

    private static String utf8(ByteBuffer bytes, String what, SecretReference reference, SecretContext context, SecretResolver resolver) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    what + " is a SecretBinary that is not UTF-8 text, which values cannot hold; store it as text (e.g. base64)");
        }
    }
}
