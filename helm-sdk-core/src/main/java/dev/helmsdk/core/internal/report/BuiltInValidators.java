package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ReleaseValidator;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.core.BuiltInValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The {@link BuiltInValidator}s: the container rules as {@link ReleaseValidator}s, each looking at every container. */
final class BuiltInValidators {

    private BuiltInValidators() {
    }

    /** The validator of a container rule; the chart version rule is {@link ChartVersionPinnedCheck}. */
    static ReleaseValidator of(BuiltInValidator which) {
        return switch (which) {
            case RESOURCES -> perContainer(which, BuiltInValidators::resources);
            case IMAGE_TAGS -> perContainer(which, BuiltInValidators::imageTag);
            case PRIVILEGE -> new Rule(which.validatorName(), input -> {
                List<Finding> out = new ArrayList<>();
                for (PodTemplates.PodSpec pod : PodTemplates.of(input.objects(), input.namespace())) {
                    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                        if (Boolean.TRUE.equals(pod.spec().get(host))) {
                            out.add(Finding.about(check(which), "pod.host_namespace", Severity.ERROR, pod.object(), pod.at() + "/" + host,
                                    pod.object().id() + " shares the node's " + host.substring(4) + " namespace (" + host + ": true)",
                                    "remove " + host + " unless the workload must see the node's namespace"));
                        }
                    }
                }
                perContainer(which, BuiltInValidators::privilege).validate(input).forEach(out::add);
                return out;
            });
            case PROBES -> perContainer(which, BuiltInValidators::probes);
            case CHART_VERSION_PINNED, DEPENDENCY_VERSIONS_PINNED -> throw new IllegalArgumentException("the chart version rule is a check of its own");
        };
    }

    private static String check(BuiltInValidator which) {
        return "validator:" + which.validatorName();
    }

    private static void resources(PodTemplates.Container c, List<Finding> out) {
        List<String> missing = new ArrayList<>();
        for (String kind : List.of("requests", "limits")) {
            Object set = PodTemplates.get(c.container(), "/resources/" + kind);
            for (String resource : List.of("cpu", "memory")) {
                if (!(set instanceof Map<?, ?> m) || m.get(resource) == null) {
                    missing.add(kind + "." + resource);
                }
            }
        }
        if (!missing.isEmpty()) {
            out.add(Finding.about(check(BuiltInValidator.RESOURCES), "resources.missing", Severity.ERROR, c.pod().object(),
                    c.at() + "/resources", "container '" + c.name() + "' of " + c.pod().object().id() + " sets no " + String.join(", ", missing),
                    "set resources.requests and resources.limits (cpu and memory) for it, usually through the chart's values"));
        }
    }

    private static void imageTag(PodTemplates.Container c, List<Finding> out) {
        Object image = c.container().get("image");
        if (!(image instanceof String ref) || ref.contains("@")) {
            return;   // a digest pins it
        }
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        int colon = last.lastIndexOf(':');
        String check = check(BuiltInValidator.IMAGE_TAGS);
        if (colon < 0) {
            out.add(Finding.about(check, "image.untagged", Severity.ERROR, c.pod().object(), c.at() + "/image",
                    "container '" + c.name() + "' of " + c.pod().object().id() + " runs image '" + ref + "' with no tag (it means latest)",
                    "give the image an exact tag or a digest"));
        } else if (last.substring(colon + 1).equals("latest")) {
            out.add(Finding.about(check, "image.latest", Severity.ERROR, c.pod().object(), c.at() + "/image",
                    "container '" + c.name() + "' of " + c.pod().object().id() + " runs image '" + ref + "' tagged latest",
                    "give the image an exact tag or a digest"));
        }
    }

    private static void privilege(PodTemplates.Container c, List<Finding> out) {
        String check = check(BuiltInValidator.PRIVILEGE);
        if (Boolean.TRUE.equals(PodTemplates.get(c.container(), "/securityContext/privileged"))) {
            out.add(Finding.about(check, "container.privileged", Severity.ERROR, c.pod().object(), c.at() + "/securityContext/privileged",
                    "container '" + c.name() + "' of " + c.pod().object().id() + " is privileged", "remove securityContext.privileged"));
        }
        if (Boolean.TRUE.equals(PodTemplates.get(c.container(), "/securityContext/allowPrivilegeEscalation"))) {
            out.add(Finding.about(check, "container.privilege_escalation", Severity.ERROR, c.pod().object(),
                    c.at() + "/securityContext/allowPrivilegeEscalation",
                    "container '" + c.name() + "' of " + c.pod().object().id() + " allows privilege escalation",
                    "set securityContext.allowPrivilegeEscalation: false"));
        }
    }

    private static void probes(PodTemplates.Container c, List<Finding> out) {
        if (c.init() || !c.pod().longRunning()) {
            return;
        }
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            if (c.container().get(probe) == null) {
                String kind = probe.replace("Probe", "");
                out.add(Finding.about(check(BuiltInValidator.PROBES), "probe." + kind + "_missing", Severity.WARNING, c.pod().object(),
                        c.at() + "/" + probe, "container '" + c.name() + "' of " + c.pod().object().id() + " has no " + kind + " probe",
                        "add a " + probe + " so Kubernetes knows when it is " + (kind.equals("liveness") ? "stuck" : "ready")));
            }
        }
    }

    private static ReleaseValidator perContainer(BuiltInValidator which, BiConsumer<PodTemplates.Container, List<Finding>> rule) {
        return new Rule(which.validatorName(), input -> {
            List<Finding> out = new ArrayList<>();
            PodTemplates.containers(input.objects(), input.namespace()).forEach(c -> rule.accept(c, out));
            return out;
        });
    }

    /** A named validator from a function. */
    private record Rule(String name, java.util.function.Function<Input, List<Finding>> body) implements ReleaseValidator {
        @Override
        public List<Finding> validate(Input input) {
            return body.apply(input);
        }
    }
}
