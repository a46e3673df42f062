package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns each write the API accepted into controller work: every write updates the garbage collector's graph; a
 * workload change reconciles that workload (a ReplicaSet change the Deployment that controls it), a pod change
 * reconciles its owner (and lets the kubelet take over new pods, stop deleted ones), a node change retries
 * unscheduled pods, a namespace deletion removes what it held. A write made by a reconcile does not queue that same
 * reconcile again: it lists what it changed itself.
 */
final class ChangeRouter implements ChangeListener, Requeue {
    private final ObjectStore store;
    private final ControlLoop loop;
    private final Kubelet kubelet;
    private final GarbageCollector gc;
    private final DeploymentController deployments;
    private final ReplicaSetController replicaSets;
    private final StatefulSetController statefulSets;
    private final RayClusterController rayClusters;
    private final Runnable onAnyChange;
    /** What the controllers look at in each live pod (by uid), to skip reconciles no controller would act on. */
    private final Map<String, String> podFacts = new ConcurrentHashMap<>();
    /** The Deployment controlling each ReplicaSet (namespace/name → name; "" for none), from the writes seen. */
    private final Map<String, String> replicaSetOwners = new ConcurrentHashMap<>();
    /** When each workload's requeue timer is due (so a reconcile that asks again does not pile up timers). */
    private final Map<String, Long> timers = new ConcurrentHashMap<>();

    ChangeRouter(ObjectStore store, ControlLoop loop, Kubelet kubelet, EventRecorder events, GarbageCollector gc,
                 Runnable onAnyChange) {
        this.store = store;
        this.loop = loop;
        this.kubelet = kubelet;
        this.gc = gc;
        this.replicaSets = new ReplicaSetController(store, events, this);
        this.deployments = new DeploymentController(store, events, replicaSets, this);
        this.statefulSets = new StatefulSetController(store, events);
        this.rayClusters = new RayClusterController(store, events);
        this.onAnyChange = onAnyChange;
    }

    @Override
    public void changed(String method, ApiPath rawPath, JsonNode result) {
        onAnyChange.run();
        ApiPath path = named(rawPath, result);
        gc.observe(method, path, result);
        if (path.is("", "events")) {
            return;
        }
        String kind = workloadKind(path);
        if (kind != null) {
            if (kind.equals(RayClusterController.KIND) && method.equals("DELETE") && result != null) {
                rayClusters.serviceGone(Pods.uid(result)); // nothing left to remember about it
            }
            workloadChanged(kind, path);
        } else if (path.is("apps", "replicasets")) {
            replicaSetChanged(method, path, result);
        } else if (path.is("", "pods")) {
            podChanged(method, path, result);
        } else if (path.is("", "nodes")) {
            loop.enqueue("nodes", kubelet::nodesChanged);
        } else if (path.is("", "services") && method.equals("DELETE") && result != null) {
            JsonNode owner = Pods.controller(result);
            if (RayClusterController.KIND.equals(owner.path("kind").asText())) {
                rayClusters.serviceGone(owner.path("uid").asText());
                reconcile(RayClusterController.KIND, path.namespace(), owner.path("name").asText());
            }
        }
    }

    /**
     * The path of the object a write was about: a create names its collection, the object it returns names
     * itself. Only a write to a whole collection (delete collection) stays unnamed.
     */
    private static ApiPath named(ApiPath path, JsonNode result) {
        if (path.name() != null || result == null || !result.path("metadata").hasNonNull("name")
                || result.has("items")) {
            return path;
        }
        String namespace = path.namespace() != null ? path.namespace()
                : result.path("metadata").path("namespace").asText(null);
        return new ApiPath(path.group(), path.version(), namespace, path.plural(), Pods.name(result), null);
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

    private void workloadChanged(String kind, ApiPath path) {
        if ("status".equals(path.subresource())) {
            return; // our own status writes; reconciling on them would only loop
        }
        if (path.name() == null || path.namespace() == null) {
            resyncNamespace(path.namespace());
        } else if (!ControlLoop.isRunning(reconcileKey(kind, path.namespace(), path.name()))) {
            reconcile(kind, path.namespace(), path.name());
        }
    }

    private void replicaSetChanged(String method, ApiPath path, JsonNode result) {
        if ("status".equals(path.subresource())) {
            return;
        }
        if (path.name() == null || path.namespace() == null) {
            resyncNamespace(path.namespace());
            return;
        }
        String key = path.namespace() + "/" + path.name();
        if (result != null && ReplicaSetController.KIND.equals(result.path("kind").asText())) {
            JsonNode owner = Pods.controller(result);
            replicaSetOwners.put(key, DeploymentController.KIND.equals(owner.path("kind").asText())
                    ? owner.path("name").asText() : "");
        }
        String[] target = replicaSetTarget(path.namespace(), path.name());
        if (method.equals("DELETE")) {
            replicaSetOwners.remove(key);
        }
        if (!ControlLoop.isRunning(reconcileKey(target[0], path.namespace(), target[1]))) {
            reconcile(target[0], path.namespace(), target[1]);
        }
    }

    /** Who reconciles a ReplicaSet: the Deployment controlling it (as far as known), else its own controller. */
    private String[] replicaSetTarget(String namespace, String name) {
        String deployment = replicaSetOwners.get(namespace + "/" + name);
        return deployment == null || deployment.isEmpty() ? new String[] {ReplicaSetController.KIND, name}
                : new String[] {DeploymentController.KIND, deployment};
    }

    private void podChanged(String method, ApiPath path, JsonNode result) {
        boolean isPod = result != null && "Pod".equals(result.path("kind").asText());
        if (method.equals("POST") && isPod) {
            JsonNode pod = result;
            long createdAt = System.nanoTime();
            loop.enqueue(Pods.lane(pod), "admit/" + Pods.uid(pod), () -> kubelet.admit(pod, createdAt));
        }
        boolean terminating = isPod && (result.path("metadata").has("deletionTimestamp")
                || method.equals("DELETE") && !result.path("metadata").path("finalizers").isEmpty());
        if (terminating) {
            JsonNode pod = result;
            loop.enqueue(Pods.lane(pod), "terminate/" + Pods.uid(pod), () -> kubelet.terminate(pod));
        } else if (method.equals("DELETE") && path.name() != null) {
            kubelet.gone(path.namespace(), path.name(), result);
        }
        if (isPod) {
            JsonNode owner = Pods.controller(result);
            String kind = owner.path("kind").asText();
            String name = owner.path("name").asText();
            String ns = result.path("metadata").path("namespace").asText();
            if (ReplicaSetController.KIND.equals(kind)) {
                String[] target = replicaSetTarget(ns, name);
                kind = target[0];
                name = target[1];
            }
            if (!kind.isEmpty() && ownerCares(method, result, reconcileKey(kind, ns, name))) {
                reconcile(kind, ns, name);
            }
        } else if (path.namespace() != null) {
            resyncNamespace(path.namespace());
        }
    }

    /**
     * Whether a pod write can change what its owner's controller decides. Not when the owner's own reconcile
     * made it (every controller lists its pods again after creating and writes its status from that), nor when
     * the write left everything a controller reads unchanged (the kubelet binding a pod to a node). Deletions
     * count, even a controller's own: a StatefulSet or RayCluster takes its next step (the next ordinal, the
     * replacement) only then; a Deployment's reconcile takes those steps itself and is not asked again.
     */
    private boolean ownerCares(String method, JsonNode pod, String ownerKey) {
        String uid = Pods.uid(pod);
        if (method.equals("DELETE")) {
            podFacts.remove(uid);
            return !(ownerKey.startsWith(DeploymentController.KIND + "/") && ControlLoop.isRunning(ownerKey));
        }
        String facts = Pods.controllerFacts(pod);
        String before = podFacts.put(uid, facts);
        if (ControlLoop.isRunning(ownerKey)) {
            return false;
        }
        return method.equals("POST") || !facts.equals(before);
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
            case ReplicaSetController.KIND -> loop.enqueue(lane, key, () -> replicaSets.reconcile(namespace, name));
            case StatefulSetController.KIND -> loop.enqueue(lane, key, () -> statefulSets.reconcile(namespace, name));
            case RayClusterController.KIND -> loop.enqueue(lane, key, () -> rayClusters.reconcile(namespace, name));
            default -> { }
        }
    }

    @Override
    public void after(String kind, String namespace, String name, long delayMs) {
        if (delayMs <= 0) {
            reconcile(kind, namespace, name);
            return;
        }
        String key = reconcileKey(kind, namespace, name);
        long due = System.currentTimeMillis() + delayMs;
        Long pending = timers.get(key);
        if (pending != null && pending <= due && pending > System.currentTimeMillis()) {
            return; // an earlier check is already due; it asks again if it still must
        }
        timers.put(key, due);
        loop.later(Pods.lane(namespace, name), delayMs, () -> {
            timers.remove(key, due);
            reconcile(kind, namespace, name);
        });
    }

    /** Reconciles every workload of a namespace (null: all namespaces), and admits every pod, bound ones first. */
    void resyncNamespace(String namespace) {
        loop.enqueue("resync/" + namespace, () -> {
            for (JsonNode rs : store.list(ApiPath.collection("apps", "v1", namespace, "replicasets"))) {
                JsonNode owner = Pods.controller(rs);
                String ns = rs.path("metadata").path("namespace").asText();
                boolean byDeployment = DeploymentController.KIND.equals(owner.path("kind").asText());
                replicaSetOwners.put(ns + "/" + Pods.name(rs), byDeployment ? owner.path("name").asText() : "");
                if (!byDeployment) {
                    reconcile(ReplicaSetController.KIND, ns, Pods.name(rs));
                }
            }
            for (String kind : List.of(DeploymentController.KIND, StatefulSetController.KIND, RayClusterController.KIND)) {
                for (JsonNode w : store.list(collectionOf(kind, namespace))) {
                    reconcile(kind, w.path("metadata").path("namespace").asText(), Pods.name(w));
                }
            }
            List<JsonNode> unbound = new ArrayList<>();
            for (JsonNode pod : store.list(ApiPath.collection("", "v1", namespace, "pods"))) {
                if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
                    unbound.add(pod);
                } else {
                    kubelet.admit(pod, System.nanoTime());
                }
            }
            unbound.forEach(pod -> kubelet.admit(pod, System.nanoTime()));
        });
    }

    private static String collectionOf(String kind, String namespace) {
        return switch (kind) {
            case DeploymentController.KIND -> ApiPath.collection("apps", "v1", namespace, "deployments");
            case StatefulSetController.KIND -> ApiPath.collection("apps", "v1", namespace, "statefulsets");
            default -> ApiPath.collection("ray.io", "v1", namespace, "rayclusters");
        };
    }
}
