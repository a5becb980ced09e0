package dev.helmsdk.core.internal;

import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways a Kubernetes API answer reaches the SDK, fabric8's exception ({@link KubeErrors}) and
 * Helm's text ({@link HelmErrors}), give the same retryability as the documented table for the same
 * answer; in particular a 409 is retryable from both when it is a {@code Conflict} and from neither
 * when it is {@code AlreadyExists}.
 */
class KubeErrorsTest {

    private static KubernetesApiException fabric8(int code, String reason) {
        return (KubernetesApiException) KubeErrors.translate(Operation.UPGRADE, "web", new KubernetesClientException(new StatusBuilder()
                .withCode(code).withReason(reason).withMessage("answer " + code).build()));
    }

    private static HelmSdkException helm(String text) {
        return HelmErrors.translate(Operation.UPGRADE, "web", "apps", Duration.ofSeconds(30), new IllegalStateException(text));
    }

    @ParameterizedTest(name = "{0} {1} -> retryable {2}")
    @CsvSource({
            "409, Conflict,           true",
            "409, AlreadyExists,      false",
            "429, TooManyRequests,    true",
            "500, InternalError,      true",
            "503, ServiceUnavailable, true",
            "404, NotFound,           false",
            "403, Forbidden,          false",
            "401, Unauthorized,       false",
            "422, Invalid,            false",
            "400, BadRequest,         false"})
    void fabric8AnswersKeepStatusAndReasonAndFollowTheTable(int code, String reason, boolean retryable) {
        KubernetesApiException e = fabric8(code, reason);
        assertEquals(code, e.statusCode().orElseThrow());
        assertEquals(reason, e.reason().orElseThrow());
        assertEquals(retryable, e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("answered " + code) && e.getMessage().contains("answer " + code), e.getMessage());
    }

    @Test
    void noResponseIsRetryable() {
        KubernetesApiException e = (KubernetesApiException) KubeErrors.translate(Operation.STATUS, "web",
                new KubernetesClientException("Failed to connect", new ConnectException("Connection refused")));
        assertTrue(e.statusCode().isEmpty());
        assertTrue(e.retryable());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Helm v3's wording of the API server's answers (client-go error strings), and the status fabric8 would give for it.
            "Operation cannot be fulfilled on secrets \"sh.helm.release.v1.web.v3\": the object has been modified; please apply your changes to the latest version and try again|409|Conflict",
            "UPGRADE FAILED: the server has received too many requests and has asked us to try again later (get secrets)|429|TooManyRequests",
            "UPGRADE FAILED: etcdserver: request timed out|500|InternalError",
            "UPGRADE FAILED: Internal error occurred: failed calling webhook \"validate.example.com\"|500|InternalError",
            "UPGRADE FAILED: the server is currently unable to handle the request (get secrets)|503|ServiceUnavailable",
            "UPGRADE FAILED: secrets is forbidden: User \"dev\" cannot list resource \"secrets\"|403|Forbidden",
            "UPGRADE FAILED: Unauthorized|401|Unauthorized"})
    void helmTextsOfApiAnswersAgreeWithFabric8sAnswer(String text, int code, String reason) {
        KubernetesApiException fromHelm = assertInstanceOf(KubernetesApiException.class, helm(text));
        assertEquals(code, fromHelm.statusCode().orElseThrow());
        assertEquals(reason, fromHelm.reason().orElseThrow());
        assertEquals(fabric8(code, reason).retryable(), fromHelm.retryable(), "same answer, same retryability: " + text);
        assertTrue(fromHelm.getMessage().contains(text), "Helm's words are kept: " + fromHelm.getMessage());
    }

    @Test
    void a409AlreadyExistsIsNotRetryableWhicheverWayItArrives() {
        HelmSdkException fromHelm = helm("INSTALLATION FAILED: failed to create resource: secrets \"sh.helm.release.v1.web.v1\" already exists");
        assertInstanceOf(HelmOperationException.class, fromHelm);
        assertFalse(fromHelm.retryable());
        assertFalse(fabric8(409, "AlreadyExists").retryable());
        assertTrue(helm("UPGRADE FAILED: Operation cannot be fulfilled on leases.coordination.k8s.io \"web\": the object has been modified").retryable());
        assertTrue(fabric8(409, "Conflict").retryable());
    }

    @Test
    void helmsOwnFailuresAreNotRetryableButABusyReleaseIs() {
        assertFalse(helm("UPGRADE FAILED: template: web/templates/x.yaml:3:4: executing \"x\" at <.Values.a.b>: nil pointer").retryable());
        assertFalse(helm("UPGRADE FAILED: pre-upgrade hooks failed: job failed: BackoffLimitExceeded").retryable());
        assertFalse(helm("rendered manifests contain a resource that already exists. Unable to continue with install").retryable());
        assertTrue(helm("UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress").retryable());
        assertTrue(helm("UPGRADE FAILED: context deadline exceeded").retryable());
        assertFalse(helm("UPGRADE FAILED: \"web\" has no deployed releases").retryable());
    }

    /** No request was sent because the credential plugin failed: a typed error naming it, not an API error without a status. */
    @Test
    void aFailedCredentialPluginIsAClusterCredentialErrorWhicheverWayItArrives() {
        HelmSdkException ours = KubeErrors.translate(Operation.STATUS, "web",
                new ExecCredentialPlugin.Failure("/usr/bin/aws", ClusterCredentialException.Reason.FAILED, "the kubeconfig's exec plugin /usr/bin/aws exited with code 255"));
        ClusterCredentialException typed = assertInstanceOf(ClusterCredentialException.class, ours);
        assertEquals("/usr/bin/aws", typed.command());
        assertFalse(typed.retryable());
        assertTrue(typed.getMessage().contains("exited with code 255"), typed.getMessage());
        assertTrue(KubeErrors.translate(Operation.STATUS, "web", new ExecCredentialPlugin.Failure("/usr/bin/aws",
                ClusterCredentialException.Reason.TIMED_OUT, "stopped")).retryable(),
                "a plugin that ran out of time may be quicker next time");

        // client-go's words, as Helm passes them on.
        HelmSdkException fromHelm = helm("Kubernetes cluster unreachable: Get \"https://k8s:6443/version\": getting credentials:"
                + " exec: executable /usr/bin/aws failed with exit code 255");
        ClusterCredentialException viaHelm = assertInstanceOf(ClusterCredentialException.class, fromHelm, fromHelm.toString());
        assertEquals("/usr/bin/aws", viaHelm.command());
        assertFalse(viaHelm.retryable());
    }
}
