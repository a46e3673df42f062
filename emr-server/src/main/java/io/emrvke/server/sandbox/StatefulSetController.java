package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the StatefulSet controller does: pods {@code <sts>-0..N-1}, created in order (the next only
 * once the previous is ready, unless podManagementPolicy is Parallel), removed from the highest
 * ordinal down, and rolled on template change from the highest ordinal down, one pod at a time.
 */
final class StatefulSetController {
    static final String KIND = "StatefulSet";
    static final String REVISION_LABEL = "controller-revision-hash";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final EventRecorder events;
    private final StatusWriter statusWriter;

    StatefulSetController(ObjectStore store, EventRecorder events) {
        this.store = store;
        this.events = events;
        this.statusWriter = new StatusWriter(store);
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("apps", "v1", namespace, "statefulsets") + "/" + name;
    }

    void reconcile(String namespace, String name) {
        JsonNode sts = store.get(path(namespace, name));
        if (sts == null || Owners.deleting(sts)) {
            return; // the garbage collector removes its pods
        }
        List<JsonNode> pods = podsOf(sts);
        String revision = name + "-" + JsonTools.stableHash(sts.path("spec").path("template"));
        int desired = sts.path("spec").path("replicas").asInt(1);
        TreeMap<Integer, JsonNode> byOrdinal = byOrdinal(name, pods);
        removeSurplus(sts, byOrdinal, desired);
        if (ensureOrdered(sts, byOrdinal, desired, revision)) {
            rollOne(sts, byOrdinal, revision);
        }
        TreeMap<Integer, JsonNode> now = byOrdinal(name, podsOf(sts));
        statusWriter.write(path(namespace, name), sts, status(sts, now, revision));
    }

    private List<JsonNode> podsOf(JsonNode sts) {
        return Pods.controlledBy(store, sts, Pods.matchLabels(sts), sts.path("spec").path("selector"));
    }

    private void delete(JsonNode sts, JsonNode pod) {
        if (store.delete(Pods.path(sts.path("metadata").path("namespace").asText(), Pods.name(pod)))) {
            events.normal(EventRecorder.Source.STATEFUL_SET, sts, "SuccessfulDelete",
                    "delete Pod " + Pods.name(pod) + " in StatefulSet " + Pods.name(sts) + " successful");
        }
    }

    private TreeMap<Integer, JsonNode> byOrdinal(String name, List<JsonNode> pods) {
        TreeMap<Integer, JsonNode> map = new TreeMap<>();
        for (JsonNode p : pods) {
            String podName = Pods.name(p);
            try {
                map.put(Integer.parseInt(podName.substring(name.length() + 1)), p);
            } catch (RuntimeException e) {
                Pods.deleteAll(store, List.of(p)); // not a name this controller gives: not ours to keep
            }
        }
        return map;
    }

    private void removeSurplus(JsonNode sts, TreeMap<Integer, JsonNode> byOrdinal, int desired) {
        while (!byOrdinal.isEmpty() && byOrdinal.lastKey() >= desired) {
            delete(sts, byOrdinal.pollLastEntry().getValue());
        }
    }

    /** Creates missing pods in order; true when every wanted pod exists and is ready. */
    private boolean ensureOrdered(JsonNode sts, TreeMap<Integer, JsonNode> byOrdinal, int desired, String revision) {
        boolean parallel = "Parallel".equals(sts.path("spec").path("podManagementPolicy").asText());
        boolean allReady = true;
        for (int i = 0; i < desired; i++) {
            JsonNode pod = byOrdinal.get(i);
            if (pod == null) {
                createPod(sts, i, revision);
                allReady = false;
                if (!parallel) {
                    return false;
                }
            } else if (!Pods.isReady(pod)) {
                allReady = false;
                if (!parallel) {
                    return false;
                }
            }
        }
        return allReady;
    }

    /** Deletes the highest-ordinal pod of an old revision; it comes back on the new one. */
    private void rollOne(JsonNode sts, TreeMap<Integer, JsonNode> byOrdinal, String revision) {
        JsonNode strategy = sts.path("spec").path("updateStrategy");
        if ("OnDelete".equals(strategy.path("type").asText())) {
            return;
        }
        int partition = strategy.path("rollingUpdate").path("partition").asInt(0);
        for (Map.Entry<Integer, JsonNode> e : byOrdinal.descendingMap().entrySet()) {
            if (e.getKey() >= partition && !revision.equals(Pods.label(e.getValue(), REVISION_LABEL))) {
                delete(sts, e.getValue());
                return;
            }
        }
    }

    private void createPod(JsonNode sts, int ordinal, String revision) {
        String name = Pods.name(sts) + "-" + ordinal;
        Map<String, String> labels = new HashMap<>();
        labels.put(REVISION_LABEL, revision);
        labels.put("statefulset.kubernetes.io/pod-name", name);
        labels.put("apps.kubernetes.io/pod-index", Integer.toString(ordinal));
        ObjectNode pod = Pods.fromTemplate(sts, sts.path("spec").path("template"), name, null, labels);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        spec.put("hostname", name);
        if (sts.path("spec").hasNonNull("serviceName")) {
            spec.put("subdomain", sts.path("spec").path("serviceName").asText());
        }
        if (store.create(Pods.collection(sts.path("metadata").path("namespace").asText()), pod) != null) {
            events.normal(EventRecorder.Source.STATEFUL_SET, sts, "SuccessfulCreate",
                    "create Pod " + name + " in StatefulSet " + Pods.name(sts) + " successful");
        }
    }

    private static ObjectNode status(JsonNode sts, TreeMap<Integer, JsonNode> pods, String revision) {
        int ready = 0;
        int updated = 0;
        String otherRevision = null;
        for (JsonNode p : pods.values()) {
            ready += Pods.isReady(p) ? 1 : 0;
            String r = Pods.label(p, REVISION_LABEL);
            if (revision.equals(r)) {
                updated++;
            } else if (r != null) {
                otherRevision = r;
            }
        }
        String currentRevision = otherRevision == null ? revision : otherRevision;
        // zero counts are left out (omitempty), as the API does; replicas and availableReplicas always there
        ObjectNode s = JSON.createObjectNode()
                .put("observedGeneration", sts.path("metadata").path("generation").asLong(1))
                .put("replicas", pods.size());
        ReplicaSetController.putIfPositive(s, "readyReplicas", ready);
        ReplicaSetController.putIfPositive(s, "currentReplicas", otherRevision == null ? updated : pods.size() - updated);
        ReplicaSetController.putIfPositive(s, "updatedReplicas", updated);
        return s.put("currentRevision", currentRevision).put("updateRevision", revision)
                .put("collisionCount", 0).put("availableReplicas", ready);
    }
}
