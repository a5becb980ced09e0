package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ManifestResourcesTest {

    static final String MANIFEST = """
            ---
            # Source: web/templates/configmap.yaml
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
            data:
              message: "hello"
            ---
            # Source: web/templates/empty.yaml
            # nothing rendered here
            ---
            # Source: web/templates/service.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: other
            spec:
              ports:
                - port: 80
            ---
            # Source: web/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
            ---
            # Source: web/templates/crd.yaml
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            ---
            # Source: web/templates/widget.yaml
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w1
            ---
            # Source: web/templates/list.yaml
            apiVersion: v1
            kind: List
            items:
              - apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: reader
              - apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: web-config
            """;

    @Test
    void parsesKindsNamesNamespacesAndTypes() {
        List<ManifestResources.Declared> declared = ManifestResources.parse("apps", MANIFEST, new KubernetesSerialization());
        assertEquals(List.of(
                new ResourceKey("v1", "ConfigMap", "apps", "web-config"),
                new ResourceKey("v1", "Service", "other", "web"),
                new ResourceKey("apps/v1", "Deployment", "apps", "web"),
                new ResourceKey("apiextensions.k8s.io/v1", "CustomResourceDefinition", "apps", "widgets.example.com"),
                new ResourceKey("example.com/v1", "Widget", "apps", "w1"),
                new ResourceKey("rbac.authorization.k8s.io/v1", "ClusterRole", "apps", "reader")),
                declared.stream().map(ManifestResources.Declared::key).toList(), "duplicates kept once, lists expanded");
        assertEquals(List.of(ConfigMap.class, Service.class, Deployment.class, CustomResourceDefinition.class,
                GenericKubernetesResource.class, ClusterRole.class), declared.stream().map(ManifestResources.Declared::type).toList());
        assertEquals("deployment/web", declared.get(2).key().id());
        assertEquals("example.com", declared.get(4).key().group());
    }

    @Test
    void emptyManifests() {
        assertEquals(List.of(), ManifestResources.parse("apps", "", new KubernetesSerialization()));
        assertEquals(List.of(), ManifestResources.parse("apps", null, new KubernetesSerialization()));
        assertEquals(List.of(), ManifestResources.parse("apps", "---\n# Source: x\n", new KubernetesSerialization()));
    }
}
