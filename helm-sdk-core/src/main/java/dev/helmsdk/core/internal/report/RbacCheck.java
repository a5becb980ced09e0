package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether the manager's own credentials may do everything the change needs ({@link AccessNeeds}): one
 * SelfSubjectAccessReview per permission, asked in parallel, each denial an error finding {@code rbac.denied} naming
 * the verb, resource and namespace, the API server's reason, and the rule that would allow it.
 */
public final class RbacCheck implements DryRunCheck {

    private final BooleanSupplier clusterLocks;

    /** @param clusterLocks whether changes take the release's Lease (the manager's setting) */
    public RbacCheck(BooleanSupplier clusterLocks) {
        this.clusterLocks = clusterLocks;
    }

    @Override
    public String name() {
        return "rbac";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return KubeObjects.changeOnServer(context);
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        KubernetesClient client = context.client().orElseThrow();
        List<Map<String, Object>> deployed = KubeObjects.deployed(context);
        ApiResources resources = ApiResources.discover(client, context.objects(), deployed);
        AccessNeeds.Request request = new AccessNeeds.Request(context.operation(), context.namespace(),
                context.createNamespace(), clusterLocks.getAsBoolean(), context.waits());
        List<AccessNeeds.Need> needs = AccessNeeds.of(request, context.objects(), deployed, resources);
        List<SubjectAccessReviewStatus> answers = Parallel.map(needs, n -> review(client, n));
        int undecided = 0;
        for (int i = 0; i < needs.size(); i++) {
            SubjectAccessReviewStatus status = answers.get(i);
            if (status == null || status.getAllowed() == null) {
                undecided++;   // a test server without the authorization API, or one that stores the review and decides nothing
            } else if (!status.getAllowed()) {
                report.add(denied(needs.get(i), status, context));
            }
        }
        if (undecided > 0) {
            // INFO, not a warning: every real API server serves the authorization API; one that does not (a test
            // fixture such as the embedded API) has no RBAC to be refused by, so the verdict stays the others'.
            report.add(Finding.general("rbac", "rbac.not_evaluated", Severity.INFO, "the API server decided " + undecided
                    + " of " + needs.size() + " access reviews not at all (it serves no authorization API or decides nothing):"
                    + " those permissions are not checked",
                    "run the dry run against an API server with authorization (RBAC) enabled"));
        }
    }

    private static SubjectAccessReviewStatus review(KubernetesClient client, AccessNeeds.Need n) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withVerb(n.verb()).withGroup(n.group()).withResource(n.resource())
                .withSubresource(n.subresource().isEmpty() ? null : n.subresource())
                .withNamespace(n.namespace().isEmpty() ? null : n.namespace())
                .endResourceAttributes().endSpec().build();
        try {
            return client.authorization().v1().selfSubjectAccessReview().create(review).getStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;   // no authorization.k8s.io here: undecided
            }
            throw e;
        }
    }

    static Finding denied(AccessNeeds.Need n, SubjectAccessReviewStatus status, CheckContext context) {
        String where = n.namespace().isEmpty() ? "cluster-wide" : "in namespace " + n.namespace();
        String reason = join(status.getReason(), status.getEvaluationError());
        String message = "not allowed to " + n.verb() + " " + n.resourceName() + " " + where + " (needed for " + n.why() + "): "
                + (reason.isEmpty() ? "no rule allows it" : reason);
        return Finding.general("rbac", "rbac.denied", Severity.ERROR, context.mask().apply(message), hint(n));
    }

    /** The rule to add, as a Role (namespaced) or ClusterRole (cluster-scoped) bound to the manager's user. */
    static String hint(AccessNeeds.Need n) {
        String rule = "{apiGroups: [\"" + n.group() + "\"], resources: [\"" + n.resource()
                + (n.subresource().isEmpty() ? "" : "/" + n.subresource()) + "\"], verbs: [\"" + n.verb() + "\"]}";
        return n.namespace().isEmpty()
                ? "add the rule " + rule + " to a ClusterRole bound to this user by a ClusterRoleBinding"
                : "add the rule " + rule + " to a Role in namespace " + n.namespace() + " bound to this user by a RoleBinding"
                + " (or a ClusterRole bound there)";
    }

    private static String join(String reason, String error) {
        String r = reason == null ? "" : reason.trim();
        String e = error == null ? "" : error.trim();
        return r.isEmpty() ? e : e.isEmpty() ? r : r + "; " + e;
    }
}
