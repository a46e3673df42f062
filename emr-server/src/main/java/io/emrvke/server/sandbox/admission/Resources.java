package io.emrvke.server.sandbox.admission;

import static io.emrvke.server.sandbox.admission.Fields.at;
import static io.emrvke.server.sandbox.admission.Problems.child;
import static io.emrvke.server.sandbox.admission.Problems.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.kubernetes.Quantity;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's resource requests and limits as validateResourceRequirements checks them: known resource
 * names, non-negative amounts, whole numbers for extended resources, requests within limits (equal to them
 * where no overcommit is allowed). Amounts that are not quantities at all never get here: the API server
 * refuses them while decoding the object (see {@link Decoding}).
 */
final class Resources {
    private static final Set<String> CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
            "configmaps", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports",
            "services.loadbalancers");
    private static final Set<String> INTEGER_RESOURCES = Set.of("pods", "resourcequotas", "services",
            "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports",
            "services.loadbalancers");
    private static final String HUGE_PAGES = "hugepages-";

    private Resources() {
    }

    static void container(Problems p, JsonNode resources, String path) {
        String limitsPath = child(path, "limits");
        String requestsPath = child(path, "requests");
        Map<String, Quantity> limits = amounts(p, at(resources, "limits"), limitsPath);
        Map<String, Quantity> requests = amounts(p, at(resources, "requests"), requestsPath);
        requests.forEach((name, request) -> {
            Quantity limit = limits.get(name);
            if (limit != null && request.compareTo(limit) != 0 && !overcommitAllowed(name)) {
                p.invalid(requestsPath, request.text(), "must be equal to " + name + " limit of " + limit.text());
            } else if (limit != null && request.compareTo(limit) > 0) {
                p.invalid(requestsPath, request.text(), "must be less than or equal to " + name + " limit of "
                        + limit.text());
            } else if (limit == null && !overcommitAllowed(name)) {
                p.required(limitsPath, "Limit must be set for non overcommitable resources");
            }
        });
        boolean hugePages = limits.keySet().stream().anyMatch(n -> n.startsWith(HUGE_PAGES))
                || requests.keySet().stream().anyMatch(n -> n.startsWith(HUGE_PAGES));
        boolean cpuOrMemory = List.of("cpu", "memory").stream()
                .anyMatch(n -> limits.containsKey(n) || requests.containsKey(n));
        if (hugePages && !cpuOrMemory) {
            p.forbidden(path, "HugePages require cpu or memory");
        }
    }

    /** The block's quantities by name, each name and amount checked on the way. */
    private static Map<String, Quantity> amounts(Problems p, JsonNode block, String path) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (!block.isObject()) {
            return out;
        }
        block.fields().forEachRemaining(e -> {
            String at = key(path, e.getKey());
            resourceName(p, e.getKey(), at);
            Optional<Quantity> amount = Decoding.quantity(e.getValue());
            amount.ifPresent(q -> {
                quantityValue(p, e.getKey(), q, at);
                out.put(e.getKey(), q);
            });
        });
        return out;
    }

    /** ValidateResourceQuantityValue. */
    private static void quantityValue(Problems p, String name, Quantity q, String path) {
        if (q.amount().signum() < 0) {
            p.invalid(path, q.text(), "must be greater than or equal to 0");
        }
        if ((INTEGER_RESOURCES.contains(name) || extended(name))
                && q.milliValue().mod(BigInteger.valueOf(1000)).signum() != 0) {
            p.invalid(path, Fields.JSON.textNode(q.text()), "must be an integer");
        }
    }

    /** validateContainerResourceName. */
    private static void resourceName(Problems p, String name, String path) {
        List<String> problems = Formats.qualifiedName(name);
        if (!problems.isEmpty()) {
            p.invalid(path, name, problems);
        } else if (!name.contains("/") && !STANDARD_RESOURCES.contains(name) && !name.startsWith(HUGE_PAGES)
                && !name.startsWith("requests." + HUGE_PAGES)) {
            p.invalid(path, name, "must be a standard resource type or fully qualified");
        }
        if (!name.contains("/")) {
            if (!CONTAINER_RESOURCES.contains(name) && !name.startsWith(HUGE_PAGES)) {
                p.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!isNative(name) && !extended(name)) {
            p.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    private static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    private static boolean extended(String name) {
        return !isNative(name) && !name.startsWith("requests.")
                && Formats.qualifiedName("requests." + name).isEmpty();
    }

    private static boolean overcommitAllowed(String name) {
        return isNative(name) && !name.startsWith(HUGE_PAGES);
    }
}
