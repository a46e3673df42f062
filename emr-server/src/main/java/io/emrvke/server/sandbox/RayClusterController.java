package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the KubeRay operator (1.5) does for a {@code ray.io/v1 RayCluster}: a headless head Service
 * {@code <name>-head-svc}, one head pod {@code <name>-head-<5>}, {@code replicas} worker pods
 * {@code <name>-<group>-worker-<5>} per worker group, everything but the Service deleted while
 * {@code spec.suspend} is true, {@code status.state} {@code ready} once every pod is ready, and its events
 * (CreatedService, CreatedHeadPod, CreatedWorkerPod, DeletedWorkerPod, DeletedPod). Like KubeRay, it does not roll
 * pods on template changes.
 */
final class RayClusterController {
    static final String KIND = "RayCluster";
    static final String CLUSTER_LABEL = "ray.io/cluster";
    static final String NODE_TYPE_LABEL = "ray.io/node-type";
    static final String GROUP_LABEL = "ray.io/group";
    static final String HEAD_GROUP = "headgroup";
    private static final String METRICS_PORT_NAME = "metrics";
    private static final int METRICS_PORT = 8080;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final EventRecorder events;
    private final StatusWriter statusWriter;
    /** RayClusters (by uid) whose head Service this process made sure of: not every reconcile needs to ask. */
    private final Set<String> servicesEnsured = ConcurrentHashMap.newKeySet();

    RayClusterController(ObjectStore store, EventRecorder events) {
        this.store = store;
        this.events = events;
        this.statusWriter = new StatusWriter(store);
    }

    static String path(String namespace, String name) {
        return ApiPath.collection("ray.io", "v1", namespace, "rayclusters") + "/" + name;
    }

    static String serviceName(String cluster) {
        return cluster + "-head-svc";
    }

    void reconcile(String namespace, String name) {
        JsonNode rc = store.get(path(namespace, name));
        if (rc == null || Owners.deleting(rc)) {
            return; // the garbage collector removes its pods and Service
        }
        // every pod this controller makes carries ray.io/cluster=<name>
        List<JsonNode> pods = new ArrayList<>(Pods.controlledBy(store, rc, Map.of(CLUSTER_LABEL, name),
                JSON.createObjectNode().set("matchLabels", JSON.createObjectNode().put(CLUSTER_LABEL, name))));
        ensureService(rc);
        boolean suspended = rc.path("spec").path("suspend").asBoolean(false);
        if (suspended) {
            if (!pods.isEmpty()) {
                deleteAll(pods);
                events.normal(EventRecorder.Source.RAY_CLUSTER, rc, "DeletedPod",
                        "Deleted Pods for RayCluster " + namespace + "/" + name + " due to suspension");
            }
        } else {
            ensureGroup(rc, pods, HEAD_GROUP, "head", rc.path("spec").path("headGroupSpec").path("template"), 1);
            Set<String> groups = new HashSet<>();
            for (JsonNode group : rc.path("spec").path("workerGroupSpecs")) {
                String groupName = group.path("groupName").asText("workergroup");
                groups.add(groupName);
                ensureGroup(rc, pods, groupName, "worker", group.path("template"), desiredReplicas(group));
            }
            removeUnknownGroups(rc, pods, groups);
        }
        statusWriter.write(path(namespace, name), rc, status(rc, pods, suspended));
    }

    /** The Service (or its RayCluster) was deleted: the next reconcile makes it again. */
    void serviceGone(String clusterUid) {
        servicesEnsured.remove(clusterUid);
    }

    private void ensureService(JsonNode rc) {
        if (servicesEnsured.contains(Pods.uid(rc))) {
            return;
        }
        String ns = rc.path("metadata").path("namespace").asText();
        JsonNode created = store.create(ApiPath.collection("", "v1", ns, "services"), headService(rc));
        if (created != null) {
            events.normal(EventRecorder.Source.RAY_CLUSTER, rc, "CreatedService",
                    "Created service " + ns + "/" + Pods.name(created));
        }
        servicesEnsured.add(Pods.uid(rc));
    }

    private static ObjectNode headService(JsonNode rc) {
        String cluster = Pods.name(rc);
        ObjectNode svc = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
        ObjectNode meta = svc.putObject("metadata").put("name", serviceName(cluster))
                .put("namespace", rc.path("metadata").path("namespace").asText());
        ObjectNode labels = meta.putObject("labels");
        podLabels(cluster, "head", HEAD_GROUP).forEach(labels::put);
        labels.remove(GROUP_LABEL);
        labels.remove("ray.io/is-ray-node");
        meta.putArray("ownerReferences").add(Owners.controllerRef(rc));
        ObjectNode spec = svc.putObject("spec").put("clusterIP", "None");
        TreeMap<String, Integer> ports = new TreeMap<>();
        for (JsonNode c : rc.path("spec").path("headGroupSpec").path("template").path("spec").path("containers")) {
            c.path("ports").forEach(p -> ports.put(p.path("name").asText("port-" + p.path("containerPort").asInt()),
                    p.path("containerPort").asInt()));
            break; // KubeRay takes the Ray container's ports: the first container
        }
        ports.putIfAbsent(METRICS_PORT_NAME, METRICS_PORT);
        var list = spec.putArray("ports");
        ports.forEach((portName, port) -> list.addObject().put("name", portName).put("port", port)
                .put("targetPort", port).put("protocol", "TCP").put("appProtocol", "tcp"));
        spec.put("publishNotReadyAddresses", true).put("type", "ClusterIP");
        spec.set("selector", labels.deepCopy());
        return svc;
    }

    /** The labels KubeRay puts on a Ray pod. */
    private static Map<String, String> podLabels(String cluster, String nodeType, String group) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(CLUSTER_LABEL, cluster);
        labels.put(NODE_TYPE_LABEL, nodeType);
        labels.put(GROUP_LABEL, group);
        labels.put("ray.io/identifier", cluster + "-" + nodeType);
        labels.put("ray.io/is-ray-node", "yes");
        labels.put("app.kubernetes.io/created-by", "kuberay-operator");
        labels.put("app.kubernetes.io/name", "kuberay");
        return labels;
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
            deleteWorker(rc, pods, members.get(i));
        }
        for (int i = members.size(); i < desired; i++) {
            JsonNode pod = createPod(rc, group, nodeType, template);
            if (pod != null) {
                pods.add(pod);
            }
        }
    }

    private void removeUnknownGroups(JsonNode rc, List<JsonNode> pods, Set<String> groups) {
        for (JsonNode p : List.copyOf(pods)) {
            if ("worker".equals(Pods.label(p, NODE_TYPE_LABEL)) && !groups.contains(Pods.label(p, GROUP_LABEL))) {
                deleteWorker(rc, pods, p);
            }
        }
    }

    private void deleteWorker(JsonNode rc, List<JsonNode> pods, JsonNode pod) {
        String ns = pod.path("metadata").path("namespace").asText();
        store.delete(Pods.path(ns, Pods.name(pod)));
        pods.remove(pod);
        events.normal(EventRecorder.Source.RAY_CLUSTER, rc, "DeletedWorkerPod", "Deleted Pod " + ns + "/" + Pods.name(pod));
    }

    private void deleteAll(List<JsonNode> pods) {
        Pods.deleteAll(store, pods);
        pods.clear();
    }

    private JsonNode createPod(JsonNode rc, String group, String nodeType, JsonNode template) {
        String cluster = Pods.name(rc);
        String base = nodeType.equals("head") ? cluster + "-head-" : cluster + "-" + group + "-worker-";
        Map<String, String> labels = podLabels(cluster, nodeType, group);
        // labelPod: the template's labels win, but for the three that say which cluster and group a pod is of
        template.path("metadata").path("labels").fieldNames().forEachRemaining(k -> {
            if (!k.equals(CLUSTER_LABEL) && !k.equals(NODE_TYPE_LABEL) && !k.equals(GROUP_LABEL)) {
                labels.remove(k);
            }
        });
        JsonNode pod = Pods.createGenerated(store, rc, template, base, labels);
        if (pod != null) {
            String ns = pod.path("metadata").path("namespace").asText();
            events.normal(EventRecorder.Source.RAY_CLUSTER, rc, nodeType.equals("head") ? "CreatedHeadPod" : "CreatedWorkerPod",
                    "Created " + nodeType + " Pod " + ns + "/" + Pods.name(pod));
        }
        return pod;
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
            String ip = head.path("status").path("podIP").asText();
            s.putObject("head").put("podIP", ip).put("podName", Pods.name(head)).put("serviceIP", ip)
                    .put("serviceName", serviceName(Pods.name(rc)));
        }
        return s;
    }
}
