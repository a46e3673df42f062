package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns each write the API accepted into controller work: a workload change reconciles that
 * workload, a pod change reconciles its owner (and lets the kubelet take over new pods), a node
 * change retries unscheduled pods. (A namespace's deletion deletes what it held in the store itself.)
 */
final class ChangeRouter implements ChangeListener {
    private final ObjectStore store;
    private final ControlLoop loop;
    private final Kubelet kubelet;
    private final DeploymentController deployments;
    private final StatefulSetController statefulSets;
    private final RayClusterController rayClusters;
    private final Runnable onAnyChange;
    /** What the controllers look at in each live pod (by uid), to skip reconciles no controller would act on. */
    private final Map<String, String> podFacts = new ConcurrentHashMap<>();

    ChangeRouter(ObjectStore store, ControlLoop loop, Kubelet kubelet, Runnable onAnyChange) {
        this.store = store;
        this.loop = loop;
        this.kubelet = kubelet;
        this.deployments = new DeploymentController(store);
        this.statefulSets = new StatefulSetController(store);
        this.rayClusters = new RayClusterController(store);
        this.onAnyChange = onAnyChange;
    }

    @Override
    public void changed(String method, ApiPath path, JsonNode result) {
        onAnyChange.run();
        String kind = workloadKind(path);
        if (kind != null) {
            if ("status".equals(path.subresource())) {
                return; // our own status writes; reconciling on them would only loop
            }
            if (path.name() == null || path.namespace() == null) {
                resyncNamespace(path.namespace());
            } else {
                reconcile(kind, path.namespace(), path.name());
            }
        } else if (path.is("", "pods")) {
            podChanged(method, path, result);
        } else if (path.is("", "nodes")) {
            loop.enqueue("nodes", kubelet::nodesChanged);
        }
    }

    private static String workloadKind(ApiPath path) {
        if (path.is("apps", "deployments")) {
            return DeploymentController.KIND;
        }
        if (path.is("apps", "statefulsets")) {
            return StatefulSetController.KIND;
        }
        if (path.is("ray.io", "rayclusters")) {
            return RayClusterController.KIND;
        }
        return null;
    }

    private void podChanged(String method, ApiPath path, JsonNode result) {
        boolean isPod = result != null && "Pod".equals(result.path("kind").asText());
        if (method.equals("POST") && isPod) {
            JsonNode pod = result;
            long createdAt = System.nanoTime();
            loop.enqueue(Pods.lane(pod), "admit/" + Pods.uid(pod), () -> kubelet.admit(pod, createdAt));
        }
        if (method.equals("DELETE") && path.name() != null) {
            kubelet.forget(path.namespace(), path.name());
        }
        if (isPod) {
            JsonNode owner = Pods.controller(result);
            String kind = owner.path("kind").asText();
            if (!kind.isEmpty() && ownerCares(method, result, kind, owner.path("name").asText())) {
                reconcile(kind, result.path("metadata").path("namespace").asText(), owner.path("name").asText());
            }
        } else if (path.namespace() != null) {
            resyncNamespace(path.namespace());
        }
    }

    /**
     * Whether a pod write can change what its owner's controller decides. Not when the owner's own reconcile
     * created the pod (every controller lists its pods again after creating and writes its status from that),
     * nor when the write left everything a controller reads unchanged (the kubelet binding a pod to a node).
     * Deletions always count: a controller may take its next step (a surge pod, the next ordinal) only then.
     */
    private boolean ownerCares(String method, JsonNode pod, String ownerKind, String ownerName) {
        String uid = Pods.uid(pod);
        if (method.equals("DELETE")) {
            podFacts.remove(uid);
            return true;
        }
        String facts = Pods.controllerFacts(pod);
        String before = podFacts.put(uid, facts);
        if (method.equals("POST")) {
            return !ControlLoop.isRunning(reconcileKey(ownerKind, pod.path("metadata").path("namespace").asText(), ownerName));
        }
        return !facts.equals(before);
    }

    private static String reconcileKey(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    /** Queues a reconcile of one workload (other kinds are not ours to run). */
    void reconcile(String kind, String namespace, String name) {
        String key = reconcileKey(kind, namespace, name);
        String lane = Pods.lane(namespace, name);
        switch (kind) {
            case DeploymentController.KIND -> loop.enqueue(lane, key, () -> deployments.reconcile(namespace, name));
            case StatefulSetController.KIND -> loop.enqueue(lane, key, () -> statefulSets.reconcile(namespace, name));
            case RayClusterController.KIND -> loop.enqueue(lane, key, () -> rayClusters.reconcile(namespace, name));
            default -> { }
        }
    }

    /** Reconciles every workload of a namespace (null: all namespaces), and admits every pod. */
    void resyncNamespace(String namespace) {
        loop.enqueue("resync/" + namespace, () -> {
            for (JsonNode w : store.list(ApiPath.collection("apps", "v1", namespace, "deployments"))) {
                reconcile(DeploymentController.KIND, w.path("metadata").path("namespace").asText(), Pods.name(w));
            }
            for (JsonNode w : store.list(ApiPath.collection("apps", "v1", namespace, "statefulsets"))) {
                reconcile(StatefulSetController.KIND, w.path("metadata").path("namespace").asText(), Pods.name(w));
            }
            for (JsonNode w : store.list(ApiPath.collection("ray.io", "v1", namespace, "rayclusters"))) {
                reconcile(RayClusterController.KIND, w.path("metadata").path("namespace").asText(), Pods.name(w));
            }
            for (JsonNode pod : store.list(ApiPath.collection("", "v1", namespace, "pods"))) {
                kubelet.admit(pod, System.nanoTime());
                orphanCheck(pod);
            }
        });
    }

    /** A pod whose controlling workload no longer exists gets its owner reconciled (which deletes it). */
    private void orphanCheck(JsonNode pod) {
        JsonNode owner = Pods.controller(pod);
        if (!owner.isMissingNode()) {
            reconcile(owner.path("kind").asText(), pod.path("metadata").path("namespace").asText(),
                    owner.path("name").asText());
        }
    }

    List<String> kinds() {
        return List.of(DeploymentController.KIND, StatefulSetController.KIND, RayClusterController.KIND);
    }
}
