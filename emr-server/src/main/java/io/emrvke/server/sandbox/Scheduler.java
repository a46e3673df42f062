package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.runtime.KubernetesRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What kube-scheduler's default profile decides for a pod, with the filters that matter here, in its order:
 * NodeUnschedulable, TaintToleration (NoSchedule/NoExecute), NodeAffinity (nodeSelector and required node
 * affinity), NodeResourcesFit (pod count, cpu, memory and any other resource the containers request, against
 * the node's allocatable minus what the pods bound to it request). A pod that fits nowhere gets the scheduler's
 * own message ("0/3 nodes are available: 3 Insufficient cpu. ..."). Among the nodes that fit, it spreads pods of
 * one owner and prefers the least requested node. Decisions are taken one at a time, so two pods never both take
 * the last free CPU of a node.
 */
final class Scheduler {
    private static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";
    private final Supplier<List<JsonNode>> nodeList;
    private volatile List<JsonNode> nodes;
    /** Pods bound to a node (by namespace/name), with what they request. */
    private final Map<String, Bound> bound = new ConcurrentHashMap<>();

    private record Bound(String node, String owner, Map<String, BigDecimal> requests) {
    }

    /** The node a pod goes to, or why none fits. */
    record Decision(JsonNode node, String failure) {
    }

    /** Why one node does not fit, and whether preemption could change that (it cannot, when so marked). */
    private record Misfit(List<String> reasons, boolean unresolvable) {
    }

    Scheduler(Supplier<List<JsonNode>> nodeList) {
        this.nodeList = nodeList;
    }

    /** Nodes changed: read them again at the next decision. */
    void nodesChanged() {
        nodes = null;
    }

    private List<JsonNode> nodes() {
        List<JsonNode> known = nodes;
        if (known == null) {
            known = List.copyOf(nodeList.get());
            nodes = known;
        }
        return known;
    }

    /** Picks a node for {@code pod} and reserves its requests there, or says why no node fits. */
    synchronized Decision place(JsonNode pod) {
        List<JsonNode> all = nodes();
        Map<String, BigDecimal> requests = requests(pod);
        JsonNode best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        Map<String, Integer> reasons = new TreeMap<>();
        int unresolvable = 0;
        for (JsonNode node : all) {
            Misfit misfit = misfit(pod, node, requests);
            if (misfit == null) {
                double score = score(pod, node, requests);
                if (score > bestScore) {
                    best = node;
                    bestScore = score;
                }
            } else {
                misfit.reasons().forEach(r -> reasons.merge(r, 1, Integer::sum));
                unresolvable += misfit.unresolvable() ? 1 : 0;
            }
        }
        if (best == null) {
            return new Decision(null, fitError(all.size(), reasons, unresolvable));
        }
        bound.put(key(pod), new Bound(Pods.name(best), owner(pod), requests));
        return new Decision(best, null);
    }

    /** The message for a pod that every node refuses for {@code reason}, which preemption cannot change. */
    String refusedEverywhere(String reason) {
        int count = nodes().size();
        return fitError(count, Map.of(reason, count), count);
    }

    /** The node of that name, or null. */
    JsonNode node(String name) {
        for (JsonNode n : nodes()) {
            if (name.equals(Pods.name(n))) {
                return n;
            }
        }
        return null;
    }

    /** A pod already bound (found after a restart, or created with spec.nodeName): its requests count there. */
    void reserve(JsonNode pod, String node) {
        bound.put(key(pod), new Bound(node, owner(pod), requests(pod)));
    }

    /** The pod is gone: what it requested is free again. */
    void release(String namespace, String name) {
        bound.remove(namespace + "/" + name);
    }

    /** FitError.Error(): the reasons counted over the nodes, sorted, then what preemption found. */
    private static String fitError(int nodeCount, Map<String, Integer> reasons, int unresolvable) {
        List<String> counted = new ArrayList<>();
        reasons.forEach((reason, count) -> counted.add(count + " " + reason));
        counted.sort(null);
        StringBuilder msg = new StringBuilder("0/" + nodeCount + " nodes are available");
        if (!counted.isEmpty()) {
            msg.append(": ").append(String.join(", ", counted));
        }
        msg.append(". no new claims to deallocate, preemption: 0/").append(nodeCount).append(" nodes are available: ");
        List<String> preemption = new ArrayList<>();
        if (nodeCount - unresolvable > 0) {
            // every pod here has the default priority: there is never a lower-priority victim
            preemption.add((nodeCount - unresolvable) + " No preemption victims found for incoming pod");
        }
        if (unresolvable > 0) {
            preemption.add(unresolvable + " Preemption is not helpful for scheduling");
        }
        return msg.append(String.join(", ", preemption)).append('.').toString();
    }

    /** The first filter the node fails (the framework stops there), or null when it fits. */
    private Misfit misfit(JsonNode pod, JsonNode node, Map<String, BigDecimal> requests) {
        if (node.path("spec").path("unschedulable").asBoolean(false)
                && !tolerates(pod, UNSCHEDULABLE_TAINT, "", "NoSchedule")) {
            return new Misfit(List.of("node(s) were unschedulable"), true);
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if ((effect.equals("NoSchedule") || effect.equals("NoExecute"))
                    && !tolerates(pod, taint.path("key").asText(), taint.path("value").asText(""), effect)) {
                return new Misfit(List.of("node(s) had untolerated taint(s)"), true);
            }
        }
        if (!NodeMatcher.fits(pod, node)) {
            return new Misfit(List.of("node(s) didn't match Pod's node affinity/selector"), true);
        }
        return resourceMisfit(node, requests);
    }

    /** NodeResourcesFit: every shortage is a reason; unresolvable when the pod asks more than the node has at all. */
    private Misfit resourceMisfit(JsonNode node, Map<String, BigDecimal> requests) {
        JsonNode allocatable = node.path("status").path("allocatable");
        Map<String, BigDecimal> used = usedOn(Pods.name(node));
        List<String> reasons = new ArrayList<>();
        boolean unresolvable = false;
        BigDecimal podsAllowed = quantity(allocatable.path("pods").asText("110"));
        if (used.getOrDefault("pods", BigDecimal.ZERO).add(BigDecimal.ONE).compareTo(podsAllowed) > 0) {
            reasons.add("Too many pods");
        }
        for (Map.Entry<String, BigDecimal> r : requests.entrySet()) {
            if (r.getValue().signum() <= 0) {
                continue;
            }
            BigDecimal capacity = quantity(allocatable.path(r.getKey()).asText("0"));
            BigDecimal free = capacity.subtract(used.getOrDefault(r.getKey(), BigDecimal.ZERO));
            if (r.getValue().compareTo(free) > 0) {
                reasons.add("Insufficient " + r.getKey());
                unresolvable |= r.getValue().compareTo(capacity) > 0;
            }
        }
        return reasons.isEmpty() ? null : new Misfit(reasons, unresolvable);
    }

    private Map<String, BigDecimal> usedOn(String node) {
        Map<String, BigDecimal> used = new HashMap<>();
        for (Bound b : bound.values()) {
            if (b.node().equals(node)) {
                used.merge("pods", BigDecimal.ONE, BigDecimal::add);
                b.requests().forEach((r, q) -> used.merge(r, q, BigDecimal::add));
            }
        }
        return used;
    }

    /**
     * Higher is better: fewer pods of the same owner on the node (the default topology spread), the weight of
     * the preferred node affinity terms it matches, then the least requested cpu and memory.
     */
    private double score(JsonNode pod, JsonNode node, Map<String, BigDecimal> requests) {
        String name = Pods.name(node);
        String owner = owner(pod);
        long siblings = owner.isEmpty() ? 0
                : bound.values().stream().filter(b -> b.node().equals(name) && b.owner().equals(owner)).count();
        int preferred = 0;
        for (JsonNode term : pod.path("spec").path("affinity").path("nodeAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution")) {
            if (Selectors.requirementsHold(term.path("preference").path("matchExpressions"),
                    node.path("metadata").path("labels"))) {
                preferred += term.path("weight").asInt(0);
            }
        }
        Map<String, BigDecimal> used = usedOn(name);
        JsonNode allocatable = node.path("status").path("allocatable");
        double load = 0;
        for (String r : List.of("cpu", "memory")) {
            BigDecimal capacity = quantity(allocatable.path(r).asText("0"));
            if (capacity.signum() > 0) {
                BigDecimal after = used.getOrDefault(r, BigDecimal.ZERO).add(requests.getOrDefault(r, BigDecimal.ZERO));
                load += after.doubleValue() / capacity.doubleValue();
            }
        }
        return -siblings * 1000 + preferred * 10 - load - Math.floorMod((Pods.name(pod) + name).hashCode(), 100) / 1e6;
    }

    private static boolean tolerates(JsonNode pod, String key, String value, String effect) {
        for (JsonNode t : pod.path("spec").path("tolerations")) {
            String tEffect = t.path("effect").asText("");
            if (!tEffect.isEmpty() && !tEffect.equals(effect)) {
                continue;
            }
            String tKey = t.path("key").asText("");
            boolean exists = "Exists".equals(t.path("operator").asText("Equal"));
            if (tKey.isEmpty() && exists) {
                return true;
            }
            if (tKey.equals(key) && (exists || t.path("value").asText("").equals(value))) {
                return true;
            }
        }
        return false;
    }

    private static String key(JsonNode pod) {
        return pod.path("metadata").path("namespace").asText() + "/" + Pods.name(pod);
    }

    private static String owner(JsonNode pod) {
        return Pods.controller(pod).path("uid").asText("");
    }

    /**
     * What the pod requests (computePodResourceRequest): the containers' requests summed (a limit stands in for
     * a missing request, as the API's defaulting does), at least each init container's, plus the pod overhead.
     */
    static Map<String, BigDecimal> requests(JsonNode pod) {
        Map<String, BigDecimal> sum = new HashMap<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            containerRequests(c).forEach((r, q) -> sum.merge(r, q, BigDecimal::add));
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            containerRequests(c).forEach((r, q) -> sum.merge(r, q, BigDecimal::max));
        }
        Iterator<Map.Entry<String, JsonNode>> overhead = pod.path("spec").path("overhead").fields();
        while (overhead.hasNext()) {
            Map.Entry<String, JsonNode> o = overhead.next();
            sum.merge(o.getKey(), quantity(o.getValue().asText()), BigDecimal::add);
        }
        return sum;
    }

    private static Map<String, BigDecimal> containerRequests(JsonNode container) {
        Map<String, BigDecimal> out = new HashMap<>();
        JsonNode resources = container.path("resources");
        resources.path("limits").fields().forEachRemaining(e -> out.put(e.getKey(), quantity(e.getValue().asText())));
        resources.path("requests").fields().forEachRemaining(e -> out.put(e.getKey(), quantity(e.getValue().asText())));
        return out;
    }

    private static BigDecimal quantity(String text) {
        return KubernetesRules.quantityValue(text).orElse(BigDecimal.ZERO);
    }

    /** Label matching for nodeSelector and required node affinity (In, NotIn, Exists, DoesNotExist, Gt, Lt). */
    static final class NodeMatcher {
        private NodeMatcher() {
        }

        static boolean fits(JsonNode pod, JsonNode node) {
            JsonNode labels = node.path("metadata").path("labels");
            Iterator<Map.Entry<String, JsonNode>> selector = pod.path("spec").path("nodeSelector").fields();
            while (selector.hasNext()) {
                Map.Entry<String, JsonNode> e = selector.next();
                if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                    return false;
                }
            }
            JsonNode terms = pod.path("spec").path("affinity").path("nodeAffinity")
                    .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
            if (!terms.isArray() || terms.isEmpty()) {
                return true;
            }
            for (JsonNode term : terms) {
                if (termFits(term, node)) {
                    return true;
                }
            }
            return false;
        }

        /** A term with no requirement matches no node; matchFields compare metadata.name. */
        private static boolean termFits(JsonNode term, JsonNode node) {
            if (term.path("matchExpressions").isEmpty() && term.path("matchFields").isEmpty()) {
                return false;
            }
            JsonNode fields = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("metadata.name", Pods.name(node));
            return Selectors.requirementsHold(term.path("matchExpressions"), node.path("metadata").path("labels"))
                    && Selectors.requirementsHold(term.path("matchFields"), fields);
        }
    }
}
