package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the KubeRay operator (1.1) does for a {@code ray.io/v1 RayCluster}: one head pod
 * {@code <name>-head-<5>}, {@code replicas} worker pods {@code <name>-<group>-worker-<5>} per
 * worker group, everything deleted while {@code spec.suspend} is true, and {@code status.state}
 * {@code ready} once every pod is ready. Like KubeRay, it does not roll pods on template changes.
 */
final class RayClusterController {
    static final String KIND = "RayCluster";
    static final String CLUSTER_LABEL = "ray.io/cluster";
    static final String NODE_TYPE_LABEL = "ray.io/node-type";
    static final String GROUP_LABEL = "ray.io/group";
    static final String HEAD_GROUP = "headgroup";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final StatusWriter statusWriter;

    RayClusterController(ObjectStore store) {
        this.store = store;
        this.statusWriter = new StatusWriter(store);
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("ray.io", "v1", namespace, "rayclusters") + "/" + name;
    }

    void reconcile(String namespace, String name) {
        JsonNode rc = store.get(path(namespace, name));
        // every pod this controller makes carries ray.io/cluster=<name>
        Map<String, String> selector = rc == null ? Map.of() : Map.of(CLUSTER_LABEL, name);
        List<JsonNode> pods = Pods.controlledBy(store, namespace, KIND, name, selector);
        if (rc == null || rc.path("metadata").has("deletionTimestamp")) {
            Pods.deleteAll(store, pods);
            return;
        }
        pods = Workloads.dropOrphans(store, rc, pods);
        boolean suspended = rc.path("spec").path("suspend").asBoolean(false);
        if (suspended) {
            Pods.deleteAll(store, pods);
        } else {
            ensureGroup(rc, pods, HEAD_GROUP, "head", rc.path("spec").path("headGroupSpec").path("template"), 1);
            Set<String> groups = new HashSet<>();
            for (JsonNode group : rc.path("spec").path("workerGroupSpecs")) {
                String groupName = group.path("groupName").asText("workergroup");
                groups.add(groupName);
                ensureGroup(rc, pods, groupName, "worker", group.path("template"), desiredReplicas(group));
            }
            removeUnknownGroups(pods, groups);
        }
        List<JsonNode> now = Workloads.dropOrphans(store, rc, Pods.controlledBy(store, namespace, KIND, name, selector));
        statusWriter.write(path(namespace, name), rc, status(rc, now, suspended));
    }

    private static int desiredReplicas(JsonNode group) {
        int replicas = group.path("replicas").asInt(group.path("minReplicas").asInt(0));
        if (group.path("suspend").asBoolean(false)) {
            return 0;
        }
        return Math.max(0, replicas);
    }

    private void ensureGroup(JsonNode rc, List<JsonNode> pods, String group, String nodeType, JsonNode template,
                             int desired) {
        List<JsonNode> members = new ArrayList<>();
        for (JsonNode p : pods) {
            if (nodeType.equals(Pods.label(p, NODE_TYPE_LABEL)) && group.equals(Pods.label(p, GROUP_LABEL))) {
                members.add(p);
            }
        }
        members.sort((a, b) -> Boolean.compare(Pods.isReady(a), Pods.isReady(b)));
        for (int i = 0; i < members.size() - desired; i++) {
            Pods.deleteAll(store, List.of(members.get(i)));
        }
        for (int i = members.size(); i < desired; i++) {
            createPod(rc, group, nodeType, template);
        }
    }

    private void removeUnknownGroups(List<JsonNode> pods, Set<String> groups) {
        for (JsonNode p : pods) {
            if ("worker".equals(Pods.label(p, NODE_TYPE_LABEL)) && !groups.contains(Pods.label(p, GROUP_LABEL))) {
                Pods.deleteAll(store, List.of(p));
            }
        }
    }

    private void createPod(JsonNode rc, String group, String nodeType, JsonNode template) {
        String cluster = Pods.name(rc);
        String base = nodeType.equals("head") ? cluster + "-head-" : cluster + "-" + group + "-worker-";
        Map<String, String> labels = Map.of(CLUSTER_LABEL, cluster, NODE_TYPE_LABEL, nodeType, GROUP_LABEL, group,
                "app.kubernetes.io/created-by", "kuberay-operator");
        for (int attempt = 0; attempt < 5; attempt++) {
            ObjectNode pod = Pods.fromTemplate(rc, template, base + Pods.randomSuffix(), labels);
            if (store.create(Pods.collection(rc.path("metadata").path("namespace").asText()), pod) != null) {
                return;
            }
        }
    }

    private static ObjectNode status(JsonNode rc, List<JsonNode> pods, boolean suspended) {
        int desiredWorkers = 0;
        int minWorkers = 0;
        int maxWorkers = 0;
        for (JsonNode group : rc.path("spec").path("workerGroupSpecs")) {
            int d = desiredReplicas(group);
            desiredWorkers += d;
            minWorkers += group.path("minReplicas").asInt(d);
            maxWorkers += group.path("maxReplicas").asInt(d);
        }
        int readyWorkers = 0;
        int workers = 0;
        JsonNode head = null;
        for (JsonNode p : pods) {
            if ("head".equals(Pods.label(p, NODE_TYPE_LABEL))) {
                head = p;
            } else {
                workers++;
                readyWorkers += Pods.isReady(p) ? 1 : 0;
            }
        }
        ObjectNode s = JSON.createObjectNode();
        boolean ready = !suspended && head != null && Pods.isReady(head) && readyWorkers == desiredWorkers
                && workers == desiredWorkers;
        if (suspended && pods.isEmpty()) {
            s.put("state", "suspended");
        } else if (ready) {
            s.put("state", "ready");
        }
        s.put("desiredWorkerReplicas", desiredWorkers).put("availableWorkerReplicas", readyWorkers)
                .put("readyWorkerReplicas", readyWorkers).put("minWorkerReplicas", minWorkers)
                .put("maxWorkerReplicas", maxWorkers)
                .put("observedGeneration", rc.path("metadata").path("generation").asLong(1));
        if (head != null && head.path("status").has("podIP")) {
            s.putObject("head").put("podIP", head.path("status").path("podIP").asText())
                    .put("podName", Pods.name(head));
        }
        return s;
    }
}
