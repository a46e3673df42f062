package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler and the kubelet in one: binds each new pod to a fake node whose labels match its
 * nodeSelector (and required node affinity), reports it Pending/ContainerCreating, then Running
 * and Ready after the configured delay. {@code SANDBOX_FAULT} changes the story: crashloop = Running,
 * never ready, rising restartCount; pending = never scheduled; slow:ms = ready after ms.
 */
final class Kubelet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_CRASH_BACKOFF_MS = 300_000;
    private final ObjectStore store;
    private final ControlLoop loop;
    private final long podReadyMs;
    /** Pods (by uid) this kubelet already took over in this process. */
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    /** Pods (namespace/name) waiting for a node that matches them. */
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ipCounter = new AtomicInteger(10);
    /** The nodes, read once and again only after a node changed (every admission looks at them). */
    private volatile List<JsonNode> nodes;

    Kubelet(ObjectStore store, ControlLoop loop, long podReadyMs) {
        this.store = store;
        this.loop = loop;
        this.podReadyMs = podReadyMs;
    }

    /**
     * Takes over a pod it has not seen yet (new, or found after a restart). Its start-up time counts from
     * {@code createdAtNanos} ({@link System#nanoTime()} when the API accepted it): a real scheduler binds
     * within milliseconds, so time the pod spent waiting in this loop's queue must not delay readiness.
     */
    void admit(JsonNode pod, long createdAtNanos) {
        if (pod == null || !admitted.add(Pods.uid(pod))) {
            return;
        }
        schedule(pod, createdAtNanos);
    }

    void forget(String namespace, String name) {
        unschedulable.remove(namespace + "/" + name);
    }

    /** Nodes changed: forget the cached ones; pods that found no node get another chance. */
    void nodesChanged() {
        nodes = null;
        retryUnschedulable();
    }

    private List<JsonNode> nodes() {
        List<JsonNode> known = nodes;
        if (known == null) {
            known = List.copyOf(store.list("/api/v1/nodes"));
            nodes = known;
        }
        return known;
    }

    private void retryUnschedulable() {
        for (String key : List.copyOf(unschedulable)) {
            String[] nn = key.split("/", 2);
            JsonNode pod = store.get(Pods.path(nn[0], nn[1]));
            unschedulable.remove(key);
            if (pod != null) {
                schedule(pod, System.nanoTime());
            }
        }
    }

    private void schedule(JsonNode pod, long sinceNanos) {
        if (pod.path("metadata").has("deletionTimestamp")) {
            return;
        }
        String ns = pod.path("metadata").path("namespace").asText();
        SandboxFault fault = SandboxFault.of(pod);
        if (fault.kind() == SandboxFault.Kind.PENDING) {
            writeUnschedulable(pod, "0/3 nodes are available: SANDBOX_FAULT=pending keeps this pod unscheduled.");
            return;
        }
        JsonNode node = pickNode(pod);
        if (node == null) {
            unschedulable.add(ns + "/" + Pods.name(pod));
            int count = nodes().size();
            writeUnschedulable(pod, "0/" + count + " nodes are available: " + count
                    + " node(s) didn't match Pod's node affinity/selector.");
            return;
        }
        ObjectNode scheduled = writeScheduled(pod, node);
        long startUp = fault.kind() == SandboxFault.Kind.SLOW ? fault.delayMs() : podReadyMs;
        long waited = (System.nanoTime() - sinceNanos) / 1_000_000;
        loop.later(Pods.lane(pod), Math.max(0, startUp - waited), () -> start(pod, scheduled, fault));
    }

    private JsonNode pickNode(JsonNode pod) {
        List<JsonNode> fits = new ArrayList<>();
        String pinned = pod.path("spec").path("nodeName").asText("");
        for (JsonNode node : nodes()) {
            if (pinned.isEmpty() ? NodeMatcher.fits(pod, node) : pinned.equals(Pods.name(node))) {
                fits.add(node);
            }
        }
        if (fits.isEmpty()) {
            return null;
        }
        return fits.get(Math.floorMod(Pods.name(pod).hashCode(), fits.size()));
    }

    /**
     * The pod's containers are up. Its status is built from the one written when it was scheduled (nothing
     * else writes a pod's status), and the write tests the uid, so a pod deleted or replaced meanwhile is
     * left alone without reading it first.
     */
    private void start(JsonNode pod, ObjectNode scheduled, SandboxFault fault) {
        if (fault.kind() == SandboxFault.Kind.CRASHLOOP) {
            crash(pod.path("metadata").path("namespace").asText(), Pods.name(pod), Pods.uid(pod), 1);
        } else {
            writeRunning(pod, scheduled);
        }
    }

    private void crash(String ns, String name, String uid, int restarts) {
        JsonNode pod = store.get(Pods.path(ns, name));
        if (pod == null || !uid.equals(Pods.uid(pod))) {
            return;
        }
        writeCrashLoop(pod, restarts);
        long backoff = Math.min(MAX_CRASH_BACKOFF_MS, Math.max(100, podReadyMs) << Math.min(restarts - 1, 20));
        loop.later(Pods.lane(pod), backoff, () -> crash(ns, name, uid, restarts + 1));
    }

    // ---- status documents ----

    private void writeUnschedulable(JsonNode pod, String message) {
        ObjectNode status = JSON.createObjectNode().put("phase", "Pending");
        status.putArray("conditions").add(condition("PodScheduled", false, "Unschedulable", message));
        patchStatus(pod, null, status);
    }

    private ObjectNode writeScheduled(JsonNode pod, JsonNode node) {
        ObjectNode status = baseStatus(pod, node, "Pending");
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition("PodScheduled", true, null, null));
        conditions.add(condition("Initialized", true, null, null));
        conditions.add(condition("ContainersReady", false, "ContainersNotReady", "containers with unready status"));
        conditions.add(condition("Ready", false, "ContainersNotReady", "containers with unready status"));
        ArrayNode containers = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, false, 0);
            cs.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
            containers.add(cs);
        }
        patchStatus(pod, Pods.name(node), status);
        return status;
    }

    private void writeRunning(JsonNode pod, JsonNode scheduled) {
        ObjectNode status = runningStatus(scheduled);
        ArrayNode conditions = status.putArray("conditions");
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(condition(type, true, null, null));
        }
        ArrayNode containers = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, true, 0);
            cs.putObject("state").putObject("running").put("startedAt", StatusWriter.now());
            containers.add(cs);
        }
        patchStatus(pod, null, status);
    }

    private void writeCrashLoop(JsonNode pod, int restarts) {
        ObjectNode status = runningStatus(pod.path("status"));
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition("PodScheduled", true, null, null));
        conditions.add(condition("Initialized", true, null, null));
        String msg = "containers with unready status";
        conditions.add(condition("ContainersReady", false, "ContainersNotReady", msg));
        conditions.add(condition("Ready", false, "ContainersNotReady", msg));
        ArrayNode containers = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, false, restarts);
            cs.putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff")
                    .put("message", "back-off restarting failed container " + c.path("name").asText()
                            + " (SANDBOX_FAULT=crashloop)");
            cs.putObject("lastState").putObject("terminated").put("exitCode", 1).put("reason", "Error")
                    .put("finishedAt", StatusWriter.now());
            containers.add(cs);
        }
        patchStatus(pod, null, status);
    }

    private ObjectNode runningStatus(JsonNode old) {
        ObjectNode status = JSON.createObjectNode().put("phase", "Running");
        for (String f : List.of("hostIP", "podIP", "startTime", "qosClass")) {
            if (old.has(f)) {
                status.set(f, old.get(f));
            }
        }
        if (old.has("podIPs")) {
            status.set("podIPs", old.get("podIPs"));
        }
        return status;
    }

    private ObjectNode baseStatus(JsonNode pod, JsonNode node, String phase) {
        String hostIP = node.path("status").path("addresses").path(0).path("address").asText("192.168.0.10");
        String podIP = "10.244." + (Math.floorMod(Pods.name(node).hashCode(), 200) + 1) + "."
                + (ipCounter.getAndIncrement() % 250 + 2);
        ObjectNode status = JSON.createObjectNode().put("phase", phase).put("hostIP", hostIP).put("podIP", podIP)
                .put("startTime", StatusWriter.now()).put("qosClass", "BestEffort");
        status.putArray("podIPs").addObject().put("ip", podIP);
        status.putArray("hostIPs").addObject().put("ip", hostIP);
        return status;
    }

    private static ObjectNode containerStatus(JsonNode pod, JsonNode container, boolean ready, int restarts) {
        String name = container.path("name").asText();
        return JSON.createObjectNode().put("name", name).put("image", container.path("image").asText(""))
                .put("imageID", "").put("containerID", "sandbox://" + Pods.uid(pod).replace("-", "").substring(0, 12)
                        + "-" + name)
                .put("ready", ready).put("started", ready).put("restartCount", restarts);
    }

    private static ObjectNode condition(String type, boolean ok, String reason, String message) {
        ObjectNode c = JSON.createObjectNode().put("type", type).put("status", ok ? "True" : "False")
                .put("lastTransitionTime", StatusWriter.now());
        c.putNull("lastProbeTime");
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
        return c;
    }

    /** Replaces the pod's status (and binds it to a node) in one JSON patch. */
    private void patchStatus(JsonNode pod, String nodeName, ObjectNode status) {
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Pods.uid(pod));
        if (nodeName != null) {
            ops.addObject().put("op", "add").put("path", "/spec/nodeName").put("value", nodeName);
        }
        ops.addObject().put("op", "add").put("path", "/status").set("value", status);
        try {
            store.jsonPatch(Pods.path(pod.path("metadata").path("namespace").asText(), Pods.name(pod)), ops);
        } catch (IllegalStateException e) {
            // the pod was replaced meanwhile (uid test failed): its new self is admitted separately
        }
    }

    /** Label matching for nodeSelector and required node affinity (In, NotIn, Exists, DoesNotExist). */
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
                if (termFits(term, labels)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean termFits(JsonNode term, JsonNode labels) {
            for (JsonNode expr : term.path("matchExpressions")) {
                String value = labels.path(expr.path("key").asText()).asText(null);
                List<String> values = new ArrayList<>();
                expr.path("values").forEach(v -> values.add(v.asText()));
                boolean ok = switch (expr.path("operator").asText()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
