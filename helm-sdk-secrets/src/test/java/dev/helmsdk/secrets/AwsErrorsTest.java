package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.ssm.model.SsmException;

import java.net.ConnectException;
import java.net.UnknownHostException;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How AWS failures map to reasons, for the answers moto cannot give (a real AccessDenied for a known
 * user, throttling, 5xx): exceptions built as the SDK builds them from AWS's error responses.
 */
class AwsErrorsTest {

    private static final String REF = "ref+awssecrets://shop/db#/password";
    /** Text an AWS message could carry (an ARN, a policy): never copied into ours. */
    private static final String AWS_TEXT = "User: arn:aws:iam::123456789012:user/ci is not authorized, hint=s3cret";

    private static SecretResolutionException map(SdkException e) {
        return AwsErrors.map(e, "Secrets Manager", "eu-west-1", "no secret 'shop/db' in eu-west-1", SecretReference.parse(REF), CONTEXT,
                new AwsResolver(k -> null));
    }

    private static SdkException answer(int status, String code) {
        return SecretsManagerException.builder().statusCode(status).requestId("req-42").message(AWS_TEXT)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(AWS_TEXT).serviceName("SecretsManager").build())
                .build();
    }

    private static void assertMaps(Reason reason, SdkException e) {
        SecretResolutionException mapped = map(e);
        assertEquals(reason, mapped.reason(), mapped.getMessage());
        assertTrue(mapped.getMessage().contains(REF), mapped.getMessage());
        assertFalse(mapped.getMessage().contains("s3cret") || mapped.getMessage().contains("123456789012"), mapped.getMessage());
    }

    @Test
    void serviceAnswersMapByErrorCodeAndStatus() {
        assertMaps(Reason.NOT_FOUND, answer(400, "ResourceNotFoundException"));
        assertMaps(Reason.NOT_FOUND, SsmException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ParameterNotFound").build()).build());
        assertMaps(Reason.NOT_FOUND, answer(404, null));
        assertMaps(Reason.DENIED, answer(400, "AccessDeniedException"));
        assertMaps(Reason.DENIED, answer(400, "UnrecognizedClientException"));
        assertMaps(Reason.DENIED, answer(400, "InvalidSignatureException"));
        assertMaps(Reason.DENIED, answer(400, "ExpiredTokenException"));
        assertMaps(Reason.DENIED, answer(400, "DecryptionFailure"));
        assertMaps(Reason.DENIED, answer(403, null));
        assertMaps(Reason.UNREACHABLE, answer(400, "ThrottlingException"));
        assertMaps(Reason.UNREACHABLE, answer(500, "InternalServiceError"));
        assertMaps(Reason.UNREACHABLE, answer(503, null));
        assertMaps(Reason.INVALID_REFERENCE, answer(400, "InvalidRequestException"));
        SecretResolutionException denied = map(answer(400, "AccessDeniedException"));
        assertTrue(denied.getMessage().contains("AccessDeniedException, HTTP 400, request id req-42"), denied.getMessage());
        assertFalse(denied.retryable());
        assertTrue(map(answer(400, "ThrottlingException")).retryable());
    }

    @Test
    void clientSideFailuresMapToTimeoutUnreachableOrDenied() {
        assertMaps(Reason.TIMEOUT, ApiCallTimeoutException.create(1000));
        assertMaps(Reason.TIMEOUT, ApiCallAttemptTimeoutException.create(1000));
        assertMaps(Reason.UNREACHABLE, SdkClientException.create("Unable to execute HTTP request: " + AWS_TEXT, new ConnectException("refused")));
        assertMaps(Reason.UNREACHABLE, SdkClientException.create("x", new UnknownHostException("secretsmanager.nowhere.amazonaws.com")));
        assertMaps(Reason.DENIED, SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        try {
            assertMaps(Reason.TIMEOUT, AbortedException.create("Thread was interrupted"));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
