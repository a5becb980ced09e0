package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.report.FieldChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diff's normalisation, quantities and Secret masking, and the pure rules next to it. */
class ObjectDiffTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) throws Exception {
        return YAML.readValue(text, Map.class);
    }

    @Test
    void serverBookkeepingAndEqualQuantitiesAreNoChange() throws Exception {
        Map<String, Object> live = yaml("""
                metadata: {name: web, uid: u1, resourceVersion: "7", generation: 3, creationTimestamp: x, managedFields: [{manager: helm}]}
                spec:
                  replicas: 2
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}}
                status: {readyReplicas: 2}
                """);
        Map<String, Object> after = yaml("""
                metadata: {name: web, uid: u1, resourceVersion: "8", generation: 4, managedFields: []}
                spec:
                  replicas: 2.0
                  template: {spec: {containers: [{name: c, resources: {requests: {cpu: "0.5", memory: 1024Mi}}}]}}
                  strategy: {}
                """);
        assertEquals(List.of(), ObjectDiff.diff(live, after, false));
    }

    @Test
    void aChangedLeafIsItsPointerWithCompactJson() throws Exception {
        List<FieldChange> d = ObjectDiff.diff(yaml("spec: {replicas: 1, ports: [{port: 80}], env: '1'}"),
                yaml("spec: {replicas: 2, ports: [{port: 80}, {port: 443}], env: '1.0', labels: {a/b: x}}"), false);
        assertEquals(List.of(new FieldChange("/spec/replicas", Optional.of("1"), Optional.of("2")),
                new FieldChange("/spec/ports/1/port", Optional.empty(), Optional.of("443")),
                new FieldChange("/spec/env", Optional.of("\"1\""), Optional.of("\"1.0\"")),
                new FieldChange("/spec/labels/a~1b", Optional.empty(), Optional.of("\"x\""))), d, "strings outside quantities compare as text");
    }

    @Test
    void secretDataIsMaskedWithByteCountsChangedOrAddedNeverItsValue() throws Exception {
        // "s3cret-canary" and "other-canary!" are both 13 bytes: a same-size change still shows
        Map<String, Object> live = yaml("kind: Secret\ndata: {pw: czNjcmV0LWNhbmFyeQ==, same: YQ==}");
        Map<String, Object> after = yaml("kind: Secret\ndata: {pw: b3RoZXItY2FuYXJ5IQ==, same: YQ==, new: YWJj}");
        List<FieldChange> d = ObjectDiff.diff(live, after, true);
        assertEquals(List.of(new FieldChange("/data/pw", Optional.of("(sensitive, 13 bytes)"), Optional.of("(sensitive, 13 bytes)")),
                new FieldChange("/data/new", Optional.empty(), Optional.of("(sensitive, 3 bytes)"))), d);
        assertFalse(d.toString().contains("Y2FuYXJ5") || d.toString().contains("canary"), d.toString());
        List<FieldChange> applied = ObjectDiff.diff(yaml("metadata: {annotations: {kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"pw\":\"czNj\"}}'}}"),
                yaml("metadata: {annotations: {}}"), true);
        assertEquals(List.of(new FieldChange("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
                Optional.of("(sensitive, 22 bytes)"), Optional.empty())), applied, "kubectl's copy of the data is masked too");
    }

    @Test
    void aFieldTheDeployedRevisionSetAndTheChartNoLongerRendersIsRemovedAsHelmsThreeWayMergeDoes() throws Exception {
        Map<String, Object> live = yaml("metadata: {annotations: {team: a, meta.helm.sh/release-name: web}, labels: {x: y}}\nspec: {replicas: 1}");
        Map<String, Object> previous = yaml("metadata: {annotations: {team: a}, labels: {x: y}}\nspec: {replicas: 1}");
        Map<String, Object> rendered = yaml("metadata: {labels: {x: y}}\nspec: {replicas: 1}");
        // a server-side apply by another field manager keeps the annotation: the dry run's answer is the live object
        assertEquals(List.of(new FieldChange("/metadata/annotations/team", Optional.of("\"a\""), Optional.empty())),
                ObjectDiff.diff(live, ObjectDiff.withoutDropped(live, previous, rendered), false), "Helm's own annotation stays");
    }

    @Test
    void helmOwnershipIsCheckedWithHelmsWords() throws Exception {
        assertEquals("invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to "
                        + "\"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"web\"; "
                        + "annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"apps\"",
                ConflictCheck.ownershipProblem(yaml("metadata: {name: x}"), "web", "apps"));
        assertEquals("invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"web\": "
                        + "current value is \"other\"",
                ConflictCheck.ownershipProblem(yaml("""
                        metadata:
                          labels: {app.kubernetes.io/managed-by: Helm}
                          annotations: {meta.helm.sh/release-name: other, meta.helm.sh/release-namespace: apps}
                        """), "web", "apps"));
        assertEquals(null, ConflictCheck.ownershipProblem(yaml("""
                metadata:
                  labels: {app.kubernetes.io/managed-by: Helm}
                  annotations: {meta.helm.sh/release-name: web, meta.helm.sh/release-namespace: apps}
                """), "web", "apps"));
    }

    @Test
    void immutableFieldsAreFoundWhereTheServerForbidsChanges() throws Exception {
        assertEquals(List.of("/spec/selector"), ImmutableFieldRules.changed("Deployment",
                yaml("spec: {selector: {matchLabels: {app: a}}, replicas: 1}"), yaml("spec: {selector: {matchLabels: {app: b}}, replicas: 3}")));
        assertEquals(List.of(), ImmutableFieldRules.changed("Service", yaml("spec: {clusterIP: 10.0.0.5, clusterIPs: [10.0.0.5]}"),
                yaml("spec: {ports: [{port: 80}]}")), "a chart that leaves the IP to the server changes nothing");
        assertEquals(List.of("/spec/clusterIP"), ImmutableFieldRules.changed("Service", yaml("spec: {clusterIP: 10.0.0.5}"),
                yaml("spec: {clusterIP: 10.0.0.6}")));
        assertEquals(List.of(), ImmutableFieldRules.changed("Job",
                yaml("spec: {template: {metadata: {labels: {a: b, controller-uid: x}}, spec: {restartPolicy: Never, dnsPolicy: ClusterFirst}}}"),
                yaml("spec: {template: {metadata: {labels: {a: b}}, spec: {restartPolicy: Never}}}")), "server additions are no change");
        assertEquals(List.of("/spec/template"), ImmutableFieldRules.changed("Job",
                yaml("spec: {template: {spec: {restartPolicy: Never}}}"), yaml("spec: {template: {spec: {restartPolicy: OnFailure}}}")));
        assertEquals(List.of("/spec/volumeClaimTemplates"), ImmutableFieldRules.changed("StatefulSet",
                yaml("spec: {replicas: 1, volumeClaimTemplates: [{spec: {resources: {requests: {storage: 1Gi}}}}]}"),
                yaml("spec: {replicas: 2, volumeClaimTemplates: [{spec: {resources: {requests: {storage: 2Gi}}}}]}")));
    }

    @Test
    void statusCauseFieldsBecomeJsonPointers() {
        assertEquals("/spec/template/spec/containers/0/image", JsonPointers.fromFieldPath("spec.template.spec.containers[0].image"));
        assertEquals("/metadata/labels/app.kubernetes.io~1name", JsonPointers.fromFieldPath("metadata.labels[app.kubernetes.io/name]"));
        assertTrue(JsonPointers.fromFieldPath("spec").equals("/spec"));
    }
}
