package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler's binding and the kubelet of every fake node: a new pod goes to the node the {@link Scheduler}
 * picks (or stays Pending, PodScheduled=False/Unschedulable, with a FailedScheduling event), is reported
 * ContainerCreating, then Running and Ready after the configured delay, with the events a kubelet records
 * (Pulling/Pulled, Created, Started; Killing when deleted) and each container's log lines in {@link PodLogs}.
 * {@code SANDBOX_FAULT} changes the story: crashloop = Running, never ready, rising restartCount, BackOff events
 * (and Unhealthy ones for the probes the container has); pending = never scheduled; slow:ms = ready after ms.
 */
final class Kubelet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_CRASH_BACKOFF_MS = 300_000;
    private final ObjectStore store;
    private final ControlLoop loop;
    private final Scheduler scheduler;
    private final EventRecorder events;
    private final ContainerRuntime containers;
    private final long podReadyMs;
    /** Pods (by uid) this kubelet already took over in this process. */
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    /** Pods (by uid) whose containers were stopped for a graceful deletion. */
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    /** Pods (namespace/name) waiting for a node that fits them. */
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ipCounter = new AtomicInteger(10);

    Kubelet(ObjectStore store, ControlLoop loop, Scheduler scheduler, EventRecorder events, PodLogs logs,
            long podReadyMs) {
        this.store = store;
        this.loop = loop;
        this.scheduler = scheduler;
        this.events = events;
        this.containers = new ContainerRuntime(events, logs);
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
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            schedule(pod, createdAtNanos);
            return;
        }
        scheduler.reserve(pod, node);
        JsonNode known = scheduler.node(node);
        if (known == null) {
            // bound to a node that does not exist (yet): no kubelet runs it, as on a real cluster
            admitted.remove(Pods.uid(pod));
            unschedulable.add(pod.path("metadata").path("namespace").asText() + "/" + Pods.name(pod));
        } else if (!Owners.deleting(pod)) {
            ObjectNode status = writeStarting(pod, known, false);
            startLater(pod, node, status, createdAtNanos);
        }
    }

    /**
     * The pod is gone: its containers are stopped (Killing for each one running), its requests freed, and pods
     * waiting for room get another chance.
     */
    void gone(String namespace, String name, JsonNode lastSeen) {
        unschedulable.remove(namespace + "/" + name);
        scheduler.release(namespace, name);
        if (lastSeen != null && "Pod".equals(lastSeen.path("kind").asText())) {
            if (!stopped.remove(Pods.uid(lastSeen))) {
                containers.stopped(lastSeen, "Stopping container ");
            }
            admitted.remove(Pods.uid(lastSeen));
        }
        if (!unschedulable.isEmpty()) {
            loop.enqueue("unschedulable", this::retryUnschedulable);
        }
    }

    /**
     * A pod deleted gracefully (it has a deletionTimestamp and is still there): its containers stop, then the
     * kubelet deletes it for good, as the API server waits for it to do; finalizers keep it until they are gone.
     */
    void terminate(JsonNode pod) {
        if (!stopped.add(Pods.uid(pod))) {
            return;
        }
        containers.stopped(pod, "Stopping container ");
        admitted.remove(Pods.uid(pod));
        if (pod.path("metadata").path("finalizers").isEmpty()) {
            store.deleteNow(Pods.path(pod.path("metadata").path("namespace").asText(), Pods.name(pod)));
        }
    }

    /** Nodes changed: pods that found no node get another chance. */
    void nodesChanged() {
        scheduler.nodesChanged();
        retryUnschedulable();
    }

    private void retryUnschedulable() {
        for (String key : List.copyOf(unschedulable)) {
            String[] nn = key.split("/", 2);
            JsonNode pod = store.get(Pods.path(nn[0], nn[1]));
            unschedulable.remove(key);
            if (pod == null) {
                continue;
            }
            if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
                schedule(pod, System.nanoTime());
            } else {
                admit(pod, System.nanoTime());
            }
        }
    }

    private void schedule(JsonNode pod, long sinceNanos) {
        if (Owners.deleting(pod)) {
            return;
        }
        SandboxFault fault = SandboxFault.of(pod);
        if (fault.kind() == SandboxFault.Kind.PENDING) {
            String message = scheduler.refusedEverywhere("SANDBOX_FAULT=pending keeps the pod off every node");
            writeUnschedulable(pod, message);
            events.scheduler(pod, "Warning", "FailedScheduling", "Scheduling", message);
            return;
        }
        Scheduler.Decision decision = scheduler.place(pod);
        if (decision.node() == null) {
            unschedulable.add(pod.path("metadata").path("namespace").asText() + "/" + Pods.name(pod));
            writeUnschedulable(pod, decision.failure());
            events.scheduler(pod, "Warning", "FailedScheduling", "Scheduling", decision.failure());
            return;
        }
        String node = Pods.name(decision.node());
        ObjectNode scheduled = writeStarting(pod, decision.node(), true);
        events.scheduler(pod, "Normal", "Scheduled", "Binding", "Successfully assigned "
                + pod.path("metadata").path("namespace").asText() + "/" + Pods.name(pod) + " to " + node);
        startLater(pod, node, scheduled, sinceNanos);
    }

    private void startLater(JsonNode pod, String node, ObjectNode scheduled, long sinceNanos) {
        SandboxFault fault = SandboxFault.of(pod);
        long startUp = fault.kind() == SandboxFault.Kind.SLOW ? fault.delayMs() : podReadyMs;
        containers.pulling(pod, node);
        long waited = (System.nanoTime() - sinceNanos) / 1_000_000;
        loop.later(Pods.lane(pod), Math.max(0, startUp - waited), () -> start(pod, node, scheduled, fault, startUp));
    }

    /**
     * The pod's containers are up. Its status is built from the one written when it was scheduled (nothing
     * else writes a pod's status), and the write tests the uid, so a pod deleted or replaced meanwhile is
     * left alone without reading it first.
     */
    private void start(JsonNode pod, String node, ObjectNode scheduled, SandboxFault fault, long startUpMs) {
        if (!admitted.contains(Pods.uid(pod))) {
            return; // deleted meanwhile
        }
        containers.started(pod, node, startUpMs, fault);
        if (fault.kind() == SandboxFault.Kind.CRASHLOOP) {
            crash(pod.path("metadata").path("namespace").asText(), Pods.name(pod), Pods.uid(pod), 1);
        } else if (writeRunning(pod, scheduled)) {
            containers.ready(pod);
        }
    }

    private void crash(String ns, String name, String uid, int restarts) {
        JsonNode pod = store.get(Pods.path(ns, name));
        if (pod == null || !uid.equals(Pods.uid(pod))) {
            return;
        }
        long backoff = Math.min(MAX_CRASH_BACKOFF_MS, Math.max(100, podReadyMs) << Math.min(restarts - 1, 20));
        containers.crashed(pod);
        writeCrashLoop(pod, restarts, backoff);
        containers.backOff(pod);
        loop.later(Pods.lane(pod), backoff, () -> restart(ns, name, uid, restarts));
    }

    private void restart(String ns, String name, String uid, int restarts) {
        JsonNode pod = store.get(Pods.path(ns, name));
        if (pod == null || !uid.equals(Pods.uid(pod))) {
            return;
        }
        containers.restarted(pod);
        crash(ns, name, uid, restarts + 1);
    }

    // ---- status documents ----

    private void writeUnschedulable(JsonNode pod, String message) {
        ObjectNode status = JSON.createObjectNode().put("phase", "Pending");
        status.putArray("conditions").add(condition("PodScheduled", false, "Unschedulable", message));
        status.put("qosClass", qosClass(pod));
        patchStatus(pod, null, status);
    }

    /** Bound (when {@code bind}) and starting: Pending, containers ContainerCreating. */
    private ObjectNode writeStarting(JsonNode pod, JsonNode node, boolean bind) {
        ObjectNode status = baseStatus(pod, node, "Pending");
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition("PodReadyToStartContainers", false, null, null));
        conditions.add(condition("Initialized", true, null, null));
        conditions.add(condition("Ready", false, "ContainersNotReady", notReady(pod)));
        conditions.add(condition("ContainersReady", false, "ContainersNotReady", notReady(pod)));
        conditions.add(condition("PodScheduled", true, null, null));
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, false, 0);
            cs.putObject("state").putObject("waiting").put("reason", "ContainerCreating");
            statuses.add(cs);
        }
        patchStatus(pod, bind ? Pods.name(node) : null, status);
        return status;
    }

    private boolean writeRunning(JsonNode pod, JsonNode scheduled) {
        ObjectNode status = runningStatus(scheduled);
        ArrayNode conditions = status.putArray("conditions");
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            conditions.add(condition(type, true, null, null));
        }
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, true, 0);
            cs.putObject("state").putObject("running").put("startedAt", StatusWriter.now());
            statuses.add(cs);
        }
        return patchStatus(pod, null, status);
    }

    private void writeCrashLoop(JsonNode pod, int restarts, long backoffMs) {
        ObjectNode status = runningStatus(pod.path("status"));
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition("PodReadyToStartContainers", true, null, null));
        conditions.add(condition("Initialized", true, null, null));
        conditions.add(condition("Ready", false, "ContainersNotReady", notReady(pod)));
        conditions.add(condition("ContainersReady", false, "ContainersNotReady", notReady(pod)));
        conditions.add(condition("PodScheduled", true, null, null));
        ArrayNode statuses = status.putArray("containerStatuses");
        for (JsonNode c : pod.path("spec").path("containers")) {
            ObjectNode cs = containerStatus(pod, c, false, restarts);
            String container = c.path("name").asText();
            cs.putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff")
                    .put("message", "back-off " + ContainerRuntime.goDuration(backoffMs)
                            + " restarting failed container=" + container + " pod=" + ContainerRuntime.podDesc(pod));
            cs.putObject("lastState").putObject("terminated").put("exitCode", 1).put("reason", "Error")
                    .put("startedAt", StatusWriter.now()).put("finishedAt", StatusWriter.now())
                    .put("containerID", containerId(pod, container));
            statuses.add(cs);
        }
        patchStatus(pod, null, status);
    }

    private static String notReady(JsonNode pod) {
        StringBuilder names = new StringBuilder();
        pod.path("spec").path("containers").forEach(c -> names.append(names.length() == 0 ? "" : " ")
                .append(c.path("name").asText()));
        return "containers with unready status: [" + names + "]";
    }

    private ObjectNode runningStatus(JsonNode old) {
        ObjectNode status = JSON.createObjectNode().put("phase", "Running");
        for (String f : List.of("hostIP", "hostIPs", "podIP", "podIPs", "startTime", "qosClass")) {
            if (old.has(f)) {
                status.set(f, old.get(f));
            }
        }
        return status;
    }

    private ObjectNode baseStatus(JsonNode pod, JsonNode node, String phase) {
        String hostIP = node.path("status").path("addresses").path(0).path("address").asText("192.168.0.10");
        String podIP = "10.244." + (Math.floorMod(Pods.name(node).hashCode(), 200) + 1) + "."
                + (ipCounter.getAndIncrement() % 250 + 2);
        ObjectNode status = JSON.createObjectNode().put("phase", phase).put("hostIP", hostIP).put("podIP", podIP)
                .put("startTime", StatusWriter.now()).put("qosClass", qosClass(pod));
        status.putArray("podIPs").addObject().put("ip", podIP);
        status.putArray("hostIPs").addObject().put("ip", hostIP);
        return status;
    }

    /** Guaranteed when every container limits cpu and memory at what it requests; BestEffort when none asks. */
    static String qosClass(JsonNode pod) {
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : pod.path("spec").path("containers")) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            any |= !requests.isEmpty() || !limits.isEmpty();
            for (String r : List.of("cpu", "memory")) {
                String limit = limits.path(r).asText(null);
                String request = requests.path(r).asText(limit);
                guaranteed &= limit != null && limit.equals(request);
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static ObjectNode containerStatus(JsonNode pod, JsonNode container, boolean ready, int restarts) {
        String name = container.path("name").asText();
        ObjectNode cs = JSON.createObjectNode().put("name", name).put("image", container.path("image").asText(""))
                .put("imageID", "").put("containerID", containerId(pod, name))
                .put("ready", ready).put("started", ready).put("restartCount", restarts);
        cs.putObject("lastState");
        return cs;
    }

    private static String containerId(JsonNode pod, String container) {
        return "sandbox://" + Pods.uid(pod).replace("-", "") + "-" + container;
    }

    private static ObjectNode condition(String type, boolean ok, String reason, String message) {
        ObjectNode c = JSON.createObjectNode().put("type", type).put("status", ok ? "True" : "False");
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", StatusWriter.now());
        if (reason != null) {
            c.put("reason", reason);
        }
        if (message != null) {
            c.put("message", message);
        }
        return c;
    }

    /** Replaces the pod's status (and binds it to a node) in one JSON patch; false when the pod is gone or replaced. */
    private boolean patchStatus(JsonNode pod, String nodeName, ObjectNode status) {
        ArrayNode ops = JSON.createArrayNode();
        ops.addObject().put("op", "test").put("path", "/metadata/uid").put("value", Pods.uid(pod));
        if (nodeName != null) {
            ops.addObject().put("op", "add").put("path", "/spec/nodeName").put("value", nodeName);
        }
        ops.addObject().put("op", "add").put("path", "/status").set("value", status);
        try {
            return store.jsonPatch(Pods.path(pod.path("metadata").path("namespace").asText(), Pods.name(pod)), ops) != null;
        } catch (IllegalStateException e) {
            return false; // the pod was replaced meanwhile (uid test failed): its new self is admitted separately
        }
    }
}
