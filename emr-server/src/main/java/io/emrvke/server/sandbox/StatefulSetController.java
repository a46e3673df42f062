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
    private final StatusWriter statusWriter;

    StatefulSetController(ObjectStore store) {
        this.store = store;
        this.statusWriter = new StatusWriter(store);
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("apps", "v1", namespace, "statefulsets") + "/" + name;
    }

    void reconcile(String namespace, String name) {
        JsonNode sts = store.get(path(namespace, name));
        java.util.Map<String, String> selector = Pods.matchLabels(sts);
        List<JsonNode> pods = Pods.controlledBy(store, namespace, KIND, name, selector);
        if (sts == null || sts.path("metadata").has("deletionTimestamp")) {
            Pods.deleteAll(store, pods);
            return;
        }
        pods = Workloads.dropOrphans(store, sts, pods);
        String revision = name + "-" + JsonTools.stableHash(sts.path("spec").path("template"));
        int desired = sts.path("spec").path("replicas").asInt(1);
        TreeMap<Integer, JsonNode> byOrdinal = byOrdinal(name, pods);
        removeSurplus(byOrdinal, desired);
        if (ensureOrdered(sts, byOrdinal, desired, revision)) {
            rollOne(sts, byOrdinal, revision);
        }
        TreeMap<Integer, JsonNode> now = byOrdinal(name,
                Workloads.dropOrphans(store, sts, Pods.controlledBy(store, namespace, KIND, name, selector)));
        statusWriter.write(path(namespace, name), sts, status(sts, now, revision));
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

    private void removeSurplus(TreeMap<Integer, JsonNode> byOrdinal, int desired) {
        while (!byOrdinal.isEmpty() && byOrdinal.lastKey() >= desired) {
            Pods.deleteAll(store, List.of(byOrdinal.pollLastEntry().getValue()));
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
                Pods.deleteAll(store, List.of(e.getValue()));
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
        ObjectNode pod = Pods.fromTemplate(sts, sts.path("spec").path("template"), name, labels);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        spec.put("hostname", name);
        if (sts.path("spec").hasNonNull("serviceName")) {
            spec.put("subdomain", sts.path("spec").path("serviceName").asText());
        }
        store.create(Pods.collection(sts.path("metadata").path("namespace").asText()), pod);
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
        return JSON.createObjectNode()
                .put("observedGeneration", sts.path("metadata").path("generation").asLong(1))
                .put("replicas", pods.size()).put("readyReplicas", ready).put("availableReplicas", ready)
                .put("currentReplicas", otherRevision == null ? updated : pods.size() - updated)
                .put("updatedReplicas", updated)
                .put("currentRevision", currentRevision).put("updateRevision", revision)
                .put("collisionCount", 0);
    }
}
