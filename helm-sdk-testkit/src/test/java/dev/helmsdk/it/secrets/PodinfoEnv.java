package dev.helmsdk.it.secrets;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.LinkedHashMap;
import java.util.Map;

/** The environment podinfo's container gets, as deployed: where the secrets tests find the resolved values. */
public final class PodinfoEnv {

    private PodinfoEnv() {
    }

    /** The first container's environment of {@code deployment}, by name. */
    public static Map<String, String> of(Deployment deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }

    /** One variable of deployment {@code <release>-podinfo} in {@code namespace}; an error when it is not set. */
    public static String get(KubernetesClient client, String namespace, String release, String name) {
        String value = of(client.apps().deployments().inNamespace(namespace).withName(release + "-podinfo").get()).get(name);
        if (value == null) {
            throw new AssertionError("podinfo's container has no " + name);
        }
        return value;
    }
}
