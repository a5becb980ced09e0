package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs one AWS call within the operation's time left and turns what the SDK throws into a
 * {@link SecretResolutionException} with the {@link Reason} it means. Messages carry the service's
 * error code, HTTP status and request id, never the service's or the SDK's message text (which is
 * not ours to vouch for).
 */
final class AwsErrors {

    /** Codes that mean the store refused who we are or what we asked: authentication or authorization. */
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnrecognizedClientException",
            "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature",
            "MissingAuthenticationToken", "MissingAuthenticationTokenException", "ExpiredToken", "ExpiredTokenException",
            "AuthFailure", "NotAuthorized", "UnauthorizedOperation", "KMSAccessDeniedException",
            // Secrets Manager: KMS would not decrypt the secret with the caller's permissions.
            "DecryptionFailure");
    private static final Set<String> NOT_FOUND = Set.of("ResourceNotFoundException", "ParameterNotFound", "ParameterVersionNotFound");
    private static final Set<String> UNAVAILABLE = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded", "ThrottledException", "ServiceUnavailable", "InternalServiceError", "InternalServerError",
            "InternalFailure", "InternalServiceErrorException");

    private AwsErrors() {
    }

    /**
     * The request override that bounds one call (retries included) by what is left of the operation's time.
     *
     * @throws SecretResolutionException {@code TIMEOUT} when no time is left
     */
    static AwsRequestOverrideConfiguration within(SecretContext context, SecretReference reference, SecretResolver resolver) {
        Duration left = context.timeLeft();
        if (left.isZero()) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.TIMEOUT, "no time was left to ask AWS");
        }
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
    }

    /**
     * Runs {@code call}, mapping SDK failures.
     *
     * @param service  the service's name, e.g. {@code "Secrets Manager"}
     * @param region   the client's region
     * @param notFound what a not-found answer means, e.g. {@code "no secret 'db' in us-east-1"}
     */
    static <T> T call(Supplier<T> call, String service, String region, String notFound,
                      SecretReference reference, SecretContext context, SecretResolver resolver) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw map(e, service, region, notFound, reference, context, resolver);
        }
    }

    static SecretResolutionException map(SdkException e, String service, String region, String notFound,
                                         SecretReference reference, SecretContext context, SecretResolver resolver) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            int status = s.statusCode();
            String answer = service + " in " + region + " answered " + (code == null ? "" : code + ", ") + "HTTP " + status
                    + (s.requestId() == null ? "" : ", request id " + s.requestId());
            Reason reason;
            String detail;
            if (code != null && NOT_FOUND.contains(code) || code == null && status == 404) {
                reason = Reason.NOT_FOUND;
                detail = notFound + " (" + answer + ")";
            } else if (code != null && DENIED.contains(code) || status == 401 || status == 403) {
                reason = Reason.DENIED;
                detail = answer + ": check the credentials the AWS SDK found and their permissions for this " + service + " resource";
            } else if (code != null && UNAVAILABLE.contains(code) || s.isThrottlingException() || status >= 500) {
                reason = Reason.UNREACHABLE;
                detail = answer + ": the service is throttling or failing, try again later";
            } else {
                reason = Reason.INVALID_REFERENCE;
                detail = answer + ": the request the reference makes was refused";
            }
            return of(reason, detail, reference, context, resolver);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return of(Reason.TIMEOUT, service + " in " + region + " did not answer within the operation's time left", reference, context, resolver);
        }
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            return of(Reason.TIMEOUT, "the call to " + service + " in " + region + " was interrupted (the operation's time ran out)",
                    reference, context, resolver);
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SdkClientException && (message.startsWith("Unable to load credentials") || message.contains("no credentials"))) {
            return of(Reason.DENIED, "the AWS SDK found no credentials (environment variables, system properties, web identity, "
                    + "profile, container or instance role): configure one of them", reference, context, resolver);
        }
        Throwable io = ioCause(e);
        if (io != null) {
            return of(Reason.UNREACHABLE, "could not reach " + service + " in " + region + " (" + io.getClass().getSimpleName()
                    + "): check the network, the region and AWS_ENDPOINT_URL", reference, context, resolver);
        }
        return of(e.retryable() ? Reason.UNREACHABLE : Reason.INVALID_REFERENCE,
                "the AWS SDK failed asking " + service + " in " + region + " (" + e.getClass().getSimpleName() + ")", reference, context, resolver);
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    private static SecretResolutionException of(Reason reason, String detail, SecretReference reference, SecretContext context,
                                                SecretResolver resolver) {
        return SecretResolutionException.of(context, reference, resolver, reason, detail);
    }
}
