package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.operation.ServerProcess;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real {@code emr-vke serve --no-sandbox --kubeconfig <emr-vke's least-privilege kubeconfig> --target-name real}
 * process, the official SDK calling it, and an administrator's client to look at what it did on the cluster.
 */
final class EmrVkeOnRealKubernetes implements AutoCloseable {
    static final String RELEASE = "EMR-VKE-1.8.0";
    static final String POOL_LABEL = "sandbox.emr-vke.io/node-pool";
    /** The tier's three KWOK nodes of 4 CPUs: three RayClusters of 3 CPUs (head, 2 workers) and KubeRay fit. */
    static final List<String> EVERY_POOL = List.of("default", "pool-a", "pool-b");
    private static final ResourceDefinitionContext RAY_CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("ray.io").withVersion("v1").withKind("RayCluster").withPlural("rayclusters")
            .withNamespaced(true).build();

    final KubernetesClient admin;
    // replaced by killAndStartAgain: a new process (new port) on the same data dir
    OfficialSdk sdk;
    private ServerProcess server;
    private final String name;
    private final Path logs;
    private final List<String> serveArgs;

    private EmrVkeOnRealKubernetes(KubernetesClient admin, String name, Path logs, List<String> serveArgs) {
        this.admin = admin;
        this.name = name;
        this.logs = logs;
        this.serveArgs = serveArgs;
        startServer();
    }

    private int starts;

    private void startServer() {
        // a log file per process: ServerProcess appends, and reads the port from the log's first endpoint line
        starts++;
        server = ServerProcess.start(starts == 1 ? name : name + "-" + starts, logs, serveArgs);
        sdk = new OfficialSdk("127.0.0.1:" + server.port(), ServerProcess.ROOT_ACCESS_KEY,
                ServerProcess.ROOT_SECRET_KEY);
    }

    /** See {@link ServerProcess#awaitStoreReusingSpace()}: before a kill that must meet a store as in production. */
    void awaitStoreReusingSpace() {
        server.awaitStoreReusingSpace();
    }

    /** SIGKILL the emr-vke process, as a crash would, and start a new one on the same data dir and cluster. */
    void killAndStartAgain() {
        server.kill();
        startServer();
    }

    /** Skipped (CI: failed) without the tier's kubeconfigs; {@code dataDir} holds the server's H2 store. */
    static EmrVkeOnRealKubernetes start(String name, Path dataDir) {
        RealKubernetes real = RealKubernetes.fromEnvironment();
        // under target/, so that CI keeps the log; a folder per run, as ServerProcess appends to its log
        Path logs = Path.of("target", "realk8s-logs", String.valueOf(System.currentTimeMillis()));
        List<String> serveArgs = new ArrayList<>(ServerProcess.storeReusingSpaceSoon(dataDir));
        serveArgs.addAll(List.of("--no-sandbox", "--kubeconfig", real.emrVkeKubeconfig().toString(),
                "--target-name", "real", "--rate-limit", "0"));
        return new EmrVkeOnRealKubernetes(real.adminClient(), name, logs, serveArgs);
    }

    /** CreateVirtualCluster on target "real" with {@code applications} on {@code pool}; its ClusterId once SUCCESS. */
    String createCluster(String name, String pool, String... applications) {
        return createCluster(name, List.of(pool), applications);
    }

    /** CreateVirtualCluster on target "real" with {@code applications} on {@code pools}; its ClusterId once SUCCESS. */
    String createCluster(String name, List<String> pools, String... applications) {
        List<Map<String, Object>> apps = Arrays.stream(applications)
                .map(a -> Map.<String, Object>of("ApplicationName", a)).toList();
        JsonNode created = sdk.call("CreateVirtualCluster", Map.of("ClusterName", name, "ReleaseVersion", RELEASE,
                "VkeCluster", Map.of("VkeClusterId", "real", "VkeNodePoolIds", pools),
                "Applications", apps));
        assertSucceeded("CreateVirtualCluster", created);
        return created.path("ClusterId").asText();
    }

    /** CreateComponentInstance of one more RayCluster named {@code releaseName}, once SUCCESS. */
    void addRayCluster(String clusterId, String releaseName) {
        assertSucceeded("CreateComponentInstance " + releaseName, sdk.call("CreateComponentInstance", Map.of(
                "ClusterId", clusterId, "ApplicationName", "Ray", "ComponentName", "RayCluster",
                "ReleaseName", releaseName)));
    }

    /** RunApplicationAction on the cluster's Ray/RayCluster component with {@code params} as its ActionParams. */
    JsonNode runRayClusterAction(String clusterId, String action, Map<String, String> params) {
        List<Map<String, String>> actionParams = params.entrySet().stream()
                .map(e -> Map.of("Key", e.getKey(), "Value", e.getValue())).toList();
        return sdk.call("RunApplicationAction", Map.of("ClusterId", clusterId, "ActionName", action,
                "ActionScope", "COMPONENT", "Components", List.of(Map.of("ApplicationName", "Ray",
                        "ComponentNames", List.of("RayCluster"))), "ActionParams", actionParams));
    }

    /** GetOperation until its {@code index}th step is in {@code state}; fails after {@code seconds}. */
    void awaitStep(String operationId, int index, String state, long seconds) {
        eventually("step " + index + " of " + operationId + " is " + state, seconds, () -> state.equals(
                sdk.call("GetOperation", Map.of("OperationId", operationId)).path("Steps").path(index)
                        .path("StepState").asText()));
    }

    /** DeleteVirtualCluster succeeds and the namespace is gone from the API server. */
    void deleteCluster(String clusterId) {
        String namespace = namespaceOf(clusterId);
        assertSucceeded("DeleteVirtualCluster", sdk.call("DeleteVirtualCluster", Map.of("ClusterId", clusterId)));
        eventually("namespace " + namespace + " is gone", 120,
                () -> admin.namespaces().withName(namespace).get() == null);
    }

    /** The operation the {@code accepted} result names ended SUCCESS (else: the operation and the log's tail). */
    JsonNode assertSucceeded(String action, JsonNode accepted) {
        JsonNode op = sdk.awaitOperation(accepted.path("OperationId").asText(), 300);
        assertThat(op.path("OperationState").asText()).as(action + " operation " + op + "\nemr-vke's log:\n"
                + lastLines(server.logText(), 40)).isEqualTo("SUCCESS");
        return op;
    }

    /** Nothing emr-vke asked for was refused: a 403 means deploy/rbac.yaml lacks a verb. */
    void assertNeverForbidden() {
        assertThat(server.logText()).as("emr-vke's log").doesNotContainIgnoringCase("forbidden");
    }

    String namespaceOf(String clusterId) {
        List<Namespace> namespaces = admin.namespaces().withLabel(Labels.CLUSTER_ID, clusterId).list().getItems();
        assertThat(namespaces).as("namespaces labelled " + Labels.CLUSTER_ID + "=" + clusterId).hasSize(1);
        return namespaces.get(0).getMetadata().getName();
    }

    /** The release name of the cluster's first RayCluster instance (raycluster-<4 characters of the id>). */
    static String rayClusterOf(String clusterId) {
        return "raycluster-" + clusterId.substring(4, 8);
    }

    GenericKubernetesResource rayCluster(String namespace, String name) {
        return admin.genericKubernetesResources(RAY_CLUSTERS).inNamespace(namespace).withName(name).get();
    }

    /** The pods KubeRay made for the RayCluster (its label ray.io/cluster). */
    List<Pod> rayPods(String namespace, String rayCluster) {
        return admin.pods().inNamespace(namespace).withLabel("ray.io/cluster", rayCluster).list().getItems();
    }

    /** The UIDs of the RayCluster's pods, sorted. */
    List<String> rayPodUids(String namespace, String rayCluster) {
        return rayPods(namespace, rayCluster).stream().map(p -> p.getMetadata().getUid()).sorted().toList();
    }

    /** The sorted pod UIDs of each of the RayClusters {@code instances}, by name. */
    Map<String, List<String>> rayPodUidsOf(String namespace, List<String> instances) {
        Map<String, List<String>> uids = new LinkedHashMap<>();
        instances.forEach(name -> uids.put(name, rayPodUids(namespace, name)));
        return uids;
    }

    /** The pool label of the node a pod was scheduled to (null while unscheduled). */
    String poolOfNode(String nodeName) {
        if (nodeName == null) {
            return null;
        }
        return admin.nodes().withName(nodeName).get().getMetadata().getLabels().get(POOL_LABEL);
    }

    List<Pod> pods(String namespace) {
        return admin.pods().inNamespace(namespace).list().getItems();
    }

    String nodeOfPool(String pool) {
        return admin.nodes().withLabel(POOL_LABEL, pool).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new AssertionError("no node in pool " + pool));
    }

    static void eventually(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            ServerProcess.sleep(500);
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(l -> !l.contains("emr-vke.access")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    @Override
    public void close() {
        server.close();
        admin.close();
    }
}
