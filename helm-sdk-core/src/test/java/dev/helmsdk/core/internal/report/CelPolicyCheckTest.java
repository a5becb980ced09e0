package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CEL policy rules from files, as ValidatingAdmissionPolicy validations: object, oldObject, params, messages, match. */
class CelPolicyCheckTest {

    private static final String POLICIES = """
            name: replicas
            severity: WARNING
            match:
              apiGroups: [apps]
              kinds: [Deployment]
            params:
              min: 2
            validations:
              - expression: "object.spec.replicas >= params.min"
                messageExpression: "'runs ' + string(object.spec.replicas) + ' replicas, fewer than ' + string(params.min)"
            ---
            name: no-shrink
            validations:
              - expression: "oldObject == null || object.spec.replicas >= oldObject.spec.replicas"
                message: "fewer replicas than deployed"
            ---
            name: labelled
            match: {kinds: ["*"]}
            validations:
              - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
                message: "every object names its team"
              - expression: "object.metadata.name.size() < 10"
            """;

    private static final String OBJECTS = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {team: a}}
            spec: {replicas: 1}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings-for-web}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: pw, labels: {team: a}}
            stringData: {pw: s3cret-pw}
            """;

    private static Path file(Path tmp, String text) throws IOException {
        Path f = tmp.resolve("policies.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static List<Finding> run(Path file, String deployed) {
        DryRunRules rules = DryRunRules.of(List.of(), List.of(), List.of(file), Contexts.YAML);
        return Contexts.run(rules.policies(), Contexts.of(null, Map.of(), Contexts.objects(OBJECTS), deployed, null));
    }

    private static List<String> summary(List<Finding> found) {
        return found.stream().map(f -> f.severity() + " " + f.check() + " " + f.object().orElseThrow().id() + ": " + f.message()).toList();
    }

    @Test
    void aFalseValidationIsAFindingWithItsMessageParamsAndMatch(@TempDir Path tmp) throws IOException {
        List<Finding> found = run(file(tmp, POLICIES), null);
        assertEquals(List.of(
                "ERROR policy:labelled ConfigMap/apps/settings-for-web: ConfigMap/apps/settings-for-web: every object names its team",
                "ERROR policy:labelled ConfigMap/apps/settings-for-web: ConfigMap/apps/settings-for-web: failed rule: object.metadata.name.size() < 10",
                "WARNING policy:replicas Deployment/apps/web: Deployment/apps/web: runs 1 replicas, fewer than 2"), summary(found));
        assertTrue(found.stream().allMatch(f -> f.code().equals("policy.violated")));
        assertFalse(found.toString().contains("s3cret"));
    }

    @Test
    void oldObjectIsTheDeployedVersionOfTheSameObject(@TempDir Path tmp) throws IOException {
        String deployed = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec: {replicas: 3}\n";
        List<Finding> found = run(file(tmp, POLICIES), deployed);
        assertEquals(List.of("ERROR policy:no-shrink Deployment/apps/web: Deployment/apps/web: fewer replicas than deployed"),
                summary(found.stream().filter(f -> f.check().equals("policy:no-shrink")).toList()));
        String grown = deployed.replace("replicas: 3", "replicas: 1");
        assertTrue(run(file(tmp, POLICIES), grown).stream().noneMatch(f -> f.check().equals("policy:no-shrink")));
    }

    @Test
    void aTrueRuleFindsNothingAndAnUnguardedFieldIsAnErrorOfItsOwn(@TempDir Path tmp) throws IOException {
        Path f = file(tmp, """
                name: fine
                validations:
                  - expression: "object.kind != ''"
                ---
                name: unguarded
                match: {apiGroups: [""], kinds: [ConfigMap]}
                validations:
                  - expression: "object.data.size() > 0"
                """);
        List<Finding> found = run(f, null);
        assertEquals(List.of("policy.error policy:unguarded ConfigMap/apps/settings-for-web"),
                found.stream().map(x -> x.code() + " " + x.check() + " " + x.object().orElseThrow().id()).toList());
        assertEquals(Severity.ERROR, found.get(0).severity());
    }

    @Test
    void aRuleThatDoesNotCompileStopsTheBuildNamingFileAndRule(@TempDir Path tmp) throws IOException {
        Path f = file(tmp, "name: broken\nvalidations:\n  - expression: \"object.spec.replicas >=\"\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> run(f, null));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("policy 'broken' validation 1")
                && e.getMessage().contains("does not compile"), e.getMessage());

        Path unknown = file(tmp, "name: typo\nvalidation:\n  - expression: \"true\"\n");
        e = assertThrows(InvalidRequestException.class, () -> run(unknown, null));
        assertTrue(e.getMessage().contains("unknown key 'validation'"), e.getMessage());

        Path undeclared = file(tmp, "name: vars\nvalidations:\n  - expression: \"request.user == 'x'\"\n");
        e = assertThrows(InvalidRequestException.class, () -> run(undeclared, null));
        assertTrue(e.getMessage().contains("policy 'vars'") && e.getMessage().contains("request"), e.getMessage());

        Path twice = file(tmp, "name: a\nvalidations: [{expression: 'true'}]\n---\nname: a\nvalidations: [{expression: 'true'}]\n");
        e = assertThrows(InvalidRequestException.class, () -> run(twice, null));
        assertTrue(e.getMessage().contains("names policy 'a' again"), e.getMessage());
    }
}
