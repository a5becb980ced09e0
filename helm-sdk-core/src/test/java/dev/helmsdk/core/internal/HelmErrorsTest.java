package dev.helmsdk.core.internal;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseNotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helm v3.21's own error texts, as helm-java surfaces them, map to the typed exceptions. */
class HelmErrorsTest {

    private static HelmSdkException t(Operation op, String helmText) {
        return HelmErrors.translate(op, "web", "apps", Duration.ofSeconds(30), new IllegalStateException(helmText));
    }

    @Test
    void helmTextsMapToTypes() {
        assertInstanceOf(ReleaseNotFoundException.class, t(Operation.UPGRADE, "UPGRADE FAILED: \"web\" has no deployed releases"));
        assertInstanceOf(ReleaseNotFoundException.class, t(Operation.UNINSTALL, "uninstall: Release not loaded: web: release: not found"));
        HelmSdkException inUse = t(Operation.INSTALL, "INSTALLATION FAILED: cannot re-use a name that is still in use");
        assertInstanceOf(dev.helmsdk.api.ReleaseAlreadyExistsException.class, inUse);
        assertEquals("INSTALLATION FAILED: cannot re-use a name that is still in use", ((HelmOperationException) inUse).helmMessage());
        assertFalse(inUse.retryable());
        HelmSdkException timeout = t(Operation.INSTALL, "INSTALLATION FAILED: context deadline exceeded");
        assertInstanceOf(OperationTimeoutException.class, timeout);
        assertTrue(timeout.retryable());
        KubernetesApiException down = (KubernetesApiException) t(Operation.INSTALL,
                "Kubernetes cluster unreachable: Get \"https://127.0.0.1:1/version\": dial tcp 127.0.0.1:1: connect: connection refused");
        assertTrue(down.retryable());
        KubernetesApiException forbidden = (KubernetesApiException) t(Operation.INSTALL,
                "secrets is forbidden: User \"dev\" cannot list resource \"secrets\" in API group \"\" in the namespace \"apps\"");
        assertEquals(403, forbidden.statusCode().orElseThrow());
        assertFalse(forbidden.retryable());
        assertInstanceOf(ChartNotFoundException.class, t(Operation.INSTALL, "path \"/tmp/nochart\" not found"));
        assertInstanceOf(ChartNotFoundException.class, t(Operation.INSTALL,
                "failed to perform \"FetchReference\" on source: oci://localhost:5000/charts/x:1.0.0: not found"));
        assertTrue(t(Operation.UPGRADE, "UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress").retryable());
    }

    @Test
    void unknownTextKeepsHelmsWordsAndContext() {
        HelmOperationException e = (HelmOperationException) t(Operation.INSTALL,
                "INSTALLATION FAILED: template: hello/templates/x.yaml:3:4: executing \"x\" at <.Values.a.b>: nil pointer");
        assertTrue(e.helmMessage().startsWith("INSTALLATION FAILED: template:"));
        assertTrue(e.getMessage().contains("release 'web'") && e.getMessage().contains("namespace 'apps'"), e.getMessage());
        assertEquals(Operation.INSTALL, e.operation());
        assertEquals("web", e.releaseName().orElseThrow());
    }
}
