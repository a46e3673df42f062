package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What kube-controller-manager's ReplicaSet controller does: pods {@code <rs>-<5>} from the template until
 * {@code spec.replicas} exist, surplus ones deleted least useful first (unscheduled, pending, not ready, ready
 * the shortest time, most restarts, newest), a SuccessfulCreate/SuccessfulDelete event for each, and a status
 * counting them. A ReplicaSet a Deployment controls is synced by {@link DeploymentController} through
 * {@link #sync}, on the Deployment's lane, so that the two never race.
 */
final class ReplicaSetController {
    static final String KIND = "ReplicaSet";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final EventRecorder events;
    private final StatusWriter statusWriter;
    private final Requeue requeue;

    /**
     * A ReplicaSet after a sync: with the status it should have, its pods, when the next pod turns available, and
     * the object as the store has it (its status is written by {@link #writeStatus} when they differ).
     */
    record Synced(JsonNode rs, List<JsonNode> pods, long nextAvailableInMs, JsonNode stored) {
        int replicas() {
            return rs.path("spec").path("replicas").asInt(1);
        }

        int statusInt(String field) {
            return rs.path("status").path(field).asInt(0);
        }
    }

    ReplicaSetController(ObjectStore store, EventRecorder events, Requeue requeue) {
        this.store = store;
        this.events = events;
        this.statusWriter = new StatusWriter(store);
        this.requeue = requeue;
    }

    static String collection(String namespace) {
        return ApiPath.collection("apps", "v1", namespace, "replicasets");
    }

    static String path(String namespace, String name) {
        return collection(namespace) + "/" + name;
    }

    /** A ReplicaSet of its own; one a Deployment controls is handed to the Deployment's reconcile. */
    void reconcile(String namespace, String name) {
        JsonNode rs = store.get(path(namespace, name));
        if (rs == null || Owners.deleting(rs)) {
            return;
        }
        JsonNode controller = Pods.controller(rs);
        if (DeploymentController.KIND.equals(controller.path("kind").asText())) {
            requeue.after(DeploymentController.KIND, namespace, controller.path("name").asText(), 0);
            return;
        }
        Synced synced = sync(rs, podsOf(rs));
        writeStatus(synced);
        if (synced.nextAvailableInMs() >= 0) {
            requeue.after(KIND, namespace, name, synced.nextAvailableInMs());
        }
    }

    /** The pods {@code rs} controls (orphans its selector matches adopted). */
    List<JsonNode> podsOf(JsonNode rs) {
        return Pods.controlledBy(store, rs, Pods.matchLabels(rs), rs.path("spec").path("selector"));
    }

    /** Creates or deletes pods until {@code rs} has {@code spec.replicas}, and computes its status (not written yet). */
    Synced sync(JsonNode rs, List<JsonNode> owned) {
        List<JsonNode> pods = new ArrayList<>(owned);
        if (!Owners.deleting(rs)) {
            int diff = rs.path("spec").path("replicas").asInt(1) - pods.size();
            for (int i = 0; i < diff; i++) {
                JsonNode pod = Pods.createGenerated(store, rs, rs.path("spec").path("template"), Pods.name(rs) + "-",
                        Map.of());
                if (pod != null) {
                    pods.add(pod);
                    events.normal(EventRecorder.Source.REPLICA_SET, rs, "SuccessfulCreate", "Created pod: " + Pods.name(pod));
                }
            }
            if (diff < 0) {
                pods.sort(DELETION_ORDER);
                for (JsonNode pod : List.copyOf(pods.subList(0, -diff))) {
                    store.delete(Pods.path(pod.path("metadata").path("namespace").asText(), Pods.name(pod)));
                    pods.remove(pod);
                    events.normal(EventRecorder.Source.REPLICA_SET, rs, "SuccessfulDelete", "Deleted pod: " + Pods.name(pod));
                }
            }
        }
        return withStatus(rs, pods);
    }

    /** Writes the status a sync computed, unless the store has it already. */
    void writeStatus(Synced synced) {
        JsonNode rs = synced.stored();
        statusWriter.write(path(rs.path("metadata").path("namespace").asText(), Pods.name(rs)), rs,
                (ObjectNode) synced.rs().get("status"));
    }

    private Synced withStatus(JsonNode rs, List<JsonNode> pods) {
        int minReadySeconds = rs.path("spec").path("minReadySeconds").asInt(0);
        Instant now = Instant.now();
        int labelled = 0;
        int ready = 0;
        int available = 0;
        long nextAvailable = -1;
        JsonNode templateLabels = rs.path("spec").path("template").path("metadata").path("labels");
        for (JsonNode p : pods) {
            labelled += hasLabels(p, templateLabels) ? 1 : 0;
            if (Pods.isReady(p)) {
                ready++;
                long wait = msUntilAvailable(p, minReadySeconds, now);
                if (wait <= 0) {
                    available++;
                } else if (nextAvailable < 0 || wait < nextAvailable) {
                    nextAvailable = wait;
                }
            }
        }
        // the API omits zero counts (omitempty); replicas is always there
        ObjectNode status = JSON.createObjectNode().put("replicas", pods.size());
        putIfPositive(status, "fullyLabeledReplicas", labelled);
        putIfPositive(status, "readyReplicas", ready);
        putIfPositive(status, "availableReplicas", available);
        status.put("observedGeneration", rs.path("metadata").path("generation").asLong(1));
        ObjectNode computed = rs.deepCopy();
        computed.set("status", status);
        return new Synced(computed, pods, nextAvailable, rs);
    }

    static void putIfPositive(ObjectNode status, String field, long value) {
        if (value > 0) {
            status.put(field, value);
        }
    }

    private static boolean hasLabels(JsonNode pod, JsonNode labels) {
        JsonNode have = pod.path("metadata").path("labels");
        var it = labels.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(have.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** How long until a ready pod counts as available ({@code minReadySeconds} after it turned ready). */
    static long msUntilAvailable(JsonNode pod, int minReadySeconds, Instant now) {
        if (minReadySeconds <= 0) {
            return 0;
        }
        Instant since = readySince(pod);
        return since == null ? 0 : since.plusSeconds(minReadySeconds).toEpochMilli() - now.toEpochMilli();
    }

    private static Instant readySince(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                try {
                    return Instant.parse(c.path("lastTransitionTime").asText());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** controller.ActivePods: the pod to delete first sorts first. */
    static final Comparator<JsonNode> DELETION_ORDER = Comparator
            .<JsonNode>comparingInt(p -> p.path("spec").path("nodeName").asText("").isEmpty() ? 0 : 1)
            .thenComparingInt(p -> phaseRank(p.path("status").path("phase").asText("")))
            .thenComparingInt(p -> Pods.isReady(p) ? 1 : 0)
            .thenComparing(p -> readySinceOrEpoch(p), Comparator.reverseOrder())
            .thenComparing(p -> restarts(p), Comparator.reverseOrder())
            .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(""), Comparator.reverseOrder());

    private static int phaseRank(String phase) {
        return switch (phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 3;
        };
    }

    private static Instant readySinceOrEpoch(JsonNode pod) {
        Instant since = Pods.isReady(pod) ? readySince(pod) : null;
        return since == null ? Instant.EPOCH : since;
    }

    private static int restarts(JsonNode pod) {
        int max = 0;
        for (JsonNode c : pod.path("status").path("containerStatuses")) {
            max = Math.max(max, c.path("restartCount").asInt(0));
        }
        return max;
    }
}
