package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the LimitRange admission would refuse, in its words: a Container's (after defaulting) or a Pod's (its
 * effective values) request or limit below {@code min} or above {@code max}, or a limit over
 * {@code maxLimitRequestRatio} times the request.
 */
final class LimitRangeRules {

    /**
     * One violation.
     *
     * @param what    {@code Container app}, {@code Pod}
     * @param message the LimitRanger's wording
     */
    record Violation(String what, String message) {
    }

    private LimitRangeRules() {
    }

    /** The violations of one pod's containers ({@link PodResources#defaulted}) and of the pod as a whole. */
    static List<Violation> check(List<PodResources.Defaulted> containers, Map<String, Quantity> podEffective,
                                 List<LimitRangeItem> items) {
        List<Violation> out = new ArrayList<>();
        for (LimitRangeItem item : items) {
            if ("Container".equals(item.getType())) {
                for (PodResources.Defaulted c : containers) {
                    bounds(out, "Container " + c.name(), "Container", item, c.requests(), c.limits());
                }
            } else if ("Pod".equals(item.getType())) {
                Map<String, Quantity> requests = new java.util.TreeMap<>();
                Map<String, Quantity> limits = new java.util.TreeMap<>();
                podEffective.forEach((k, v) -> {
                    if (k.startsWith("requests.")) {
                        requests.put(k.substring("requests.".length()), v);
                    } else if (k.startsWith("limits.")) {
                        limits.put(k.substring("limits.".length()), v);
                    }
                });
                bounds(out, "Pod", "Pod", item, requests, limits);
            }
        }
        return out;
    }

    /**
     * The violations of a PersistentVolumeClaim against items of type PersistentVolumeClaim: its storage request
     * below {@code min} or above {@code max}, in the LimitRanger's words (a claim's limits are not its input).
     */
    static List<Violation> claim(io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim, List<LimitRangeItem> items) {
        Map<String, Quantity> requests = claim.getSpec() == null || claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null ? Map.of() : claim.getSpec().getResources().getRequests();
        String what = "PersistentVolumeClaim " + (claim.getMetadata() == null ? "" : claim.getMetadata().getName());
        List<Violation> out = new ArrayList<>();
        for (LimitRangeItem item : items) {
            if (!"PersistentVolumeClaim".equals(item.getType())) {
                continue;
            }
            orEmpty(item.getMin()).forEach((r, min) -> {
                Quantity req = requests.get(r);
                if (req == null) {
                    out.add(new Violation(what, "minimum " + r + " usage per PersistentVolumeClaim is " + min + ".  No request is specified"));
                } else if (req.compareTo(min) < 0) {
                    out.add(new Violation(what, "minimum " + r + " usage per PersistentVolumeClaim is " + min + ", but request is " + req));
                }
            });
            orEmpty(item.getMax()).forEach((r, max) -> {
                Quantity req = requests.get(r);
                if (req == null) {
                    out.add(new Violation(what, "maximum " + r + " usage per PersistentVolumeClaim is " + max + ".  No request is specified"));
                } else if (req.compareTo(max) > 0) {
                    out.add(new Violation(what, "maximum " + r + " usage per PersistentVolumeClaim is " + max + ", but request is " + req));
                }
            });
        }
        return out;
    }

    private static void bounds(List<Violation> out, String what, String type, LimitRangeItem item,
                               Map<String, Quantity> requests, Map<String, Quantity> limits) {
        orEmpty(item.getMin()).forEach((r, min) -> {
            Quantity req = requests.get(r);
            Quantity lim = limits.get(r);
            if (req == null) {
                out.add(new Violation(what, "minimum " + r + " usage per " + type + " is " + min + ", but no request is specified"));
            } else if (req.compareTo(min) < 0) {
                out.add(new Violation(what, "minimum " + r + " usage per " + type + " is " + min + ", but request is " + req));
            }
            if (lim != null && lim.compareTo(min) < 0) {
                out.add(new Violation(what, "minimum " + r + " usage per " + type + " is " + min + ", but limit is " + lim));
            }
        });
        orEmpty(item.getMax()).forEach((r, max) -> {
            Quantity req = requests.get(r);
            Quantity lim = limits.get(r);
            if (lim == null) {
                out.add(new Violation(what, "maximum " + r + " usage per " + type + " is " + max + ", but no limit is specified"));
            } else if (lim.compareTo(max) > 0) {
                out.add(new Violation(what, "maximum " + r + " usage per " + type + " is " + max + ", but limit is " + lim));
            }
            if (req != null && req.compareTo(max) > 0) {
                out.add(new Violation(what, "maximum " + r + " usage per " + type + " is " + max + ", but request is " + req));
            }
        });
        orEmpty(item.getMaxLimitRequestRatio()).forEach((r, ratio) -> {
            Quantity req = requests.get(r);
            Quantity lim = limits.get(r);
            if (lim == null) {
                return;
            }
            BigDecimal request = req == null ? BigDecimal.ZERO : req.getNumericalAmount();
            if (request.signum() == 0) {
                out.add(new Violation(what, r + " max limit to request ratio per " + type + " is " + ratio
                        + ", but no request is specified or request is 0"));
            } else if (lim.getNumericalAmount().compareTo(ratio.getNumericalAmount().multiply(request)) > 0) {
                out.add(new Violation(what, r + " max limit to request ratio per " + type + " is " + ratio + ", but provided ratio is "
                        + lim.getNumericalAmount().divide(request, 6, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()));
            }
        });
    }

    private static Map<String, Quantity> orEmpty(Map<String, Quantity> m) {
        return m == null ? Map.of() : m;
    }
}
