package dev.helmsdk.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ChartDependencyExceptionTest {

    @Test
    void aCredentialInADependencysRepositoryUrlIsNeverShown() {
        String repo = "https://ci:s3cret-token@charts.example.com/stable";
        ChartDependencyException e = new ChartDependencyException(Operation.DEPENDENCY_UPDATE, "redis", repo,
                "dependency 'redis' (repository " + repo + ") has no version 9.9.9", null);
        assertEquals("https://charts.example.com/stable", e.repository());
        assertFalse(e.getMessage().contains("s3cret-token"), e.getMessage());
        assertFalse(e.toString().contains("s3cret-token"), e.toString());
        assertEquals("oci://registry:5000/charts", ChartDependencyException.withoutUserInfo("oci://registry:5000/charts"));
        assertEquals("file://../db", ChartDependencyException.withoutUserInfo("file://../db"));
        assertEquals("https://host/a@b", ChartDependencyException.withoutUserInfo("https://host/a@b"), "an @ in the path is not user info");
    }
}
