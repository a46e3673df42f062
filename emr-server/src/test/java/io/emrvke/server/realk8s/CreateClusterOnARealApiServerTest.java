package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.operation.ServerProcess;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * emr-vke on a real Kubernetes API server (e2e/realk8s: kube-apiserver, controller-manager, scheduler,
 * KWOK nodes, the real KubeRay operator), as its own least-privilege identity (deploy/rbac.yaml only),
 * driven through the official Volcengine SDK: a virtual cluster with Ray is created, its RayCluster's
 * pods are made by the real KubeRay operator and placed by the real scheduler on the cluster's node
 * pool, and deleting the virtual cluster leaves its namespace gone.
 */
@Tag("realk8s")
class CreateClusterOnARealApiServerTest {
    private static final String RELEASE = "EMR-VKE-1.8.0";
    private static final String POOL = "pool-a";
    private static final String POOL_LABEL = "sandbox.emr-vke.io/node-pool";
    private static final ResourceDefinitionContext RAY_CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("ray.io").withVersion("v1").withKind("RayCluster").withPlural("rayclusters")
            .withNamespaced(true).build();

    @TempDir
    static Path tmp;
    private static ServerProcess server;
    private static KubernetesClient admin;
    private static OfficialSdk sdk;

    @BeforeAll
    static void startEmrVkeOnTheRealCluster() {
        RealKubernetes real = RealKubernetes.fromEnvironment();
        admin = real.adminClient();
        // under target/, so that CI keeps the log; a folder per run, as ServerProcess appends to its log
        Path logs = Path.of("target", "realk8s-logs", String.valueOf(System.currentTimeMillis()));
        server = ServerProcess.start("emr-vke-on-real-k8s", logs, List.of(
                "--data-dir", tmp.resolve("data").toString(), "--no-sandbox",
                "--kubeconfig", real.emrVkeKubeconfig().toString(), "--target-name", "real", "--rate-limit", "0"));
        sdk = new OfficialSdk("127.0.0.1:" + server.port(), ServerProcess.ROOT_ACCESS_KEY,
                ServerProcess.ROOT_SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void aRayClusterIsMadeByTheRealOperatorOnItsPoolAndGoesWithTheCluster() {
        JsonNode created = sdk.call("CreateVirtualCluster", Map.of("ClusterName", "real-k8s", "ReleaseVersion", RELEASE,
                "VkeCluster", Map.of("VkeClusterId", "real", "VkeNodePoolIds", List.of(POOL)),
                "Applications", List.of(Map.of("ApplicationName", "Ray"))));
        String clusterId = created.path("ClusterId").asText();
        assertSucceeded("CreateVirtualCluster", created.path("OperationId").asText());

        assertThat(sdk.call("GetVirtualCluster", Map.of("ClusterId", clusterId)).path("ClusterState").asText())
                .isEqualTo("RUNNING");
        JsonNode instances = sdk.call("ListComponentInstances", Map.of("ClusterId", clusterId, "MaxResults", 100))
                .path("Items");
        assertThat(instances).hasSize(2).allSatisfy(i -> assertThat(i.path("InstanceState").asText())
                .as("state of " + i.path("ReleaseName").asText()).isEqualTo("RUNNING"));

        String namespace = namespaceOf(clusterId);
        String rayCluster = "raycluster-" + clusterId.substring(4, 8);
        rayPodsAreTheOperatorsOnThePool(namespace, rayCluster);

        assertSucceeded("DeleteVirtualCluster", sdk.call("DeleteVirtualCluster", Map.of("ClusterId", clusterId))
                .path("OperationId").asText());
        eventually("namespace " + namespace + " is gone", 120,
                () -> admin.namespaces().withName(namespace).get() == null);
        assertThat(server.logText()).as("emr-vke's log: a 403 means deploy/rbac.yaml lacks a verb")
                .doesNotContain("Forbidden").doesNotContain("forbidden");
    }

    /** Head and workers, each owned (controller reference) by the RayCluster, Running on the pool's node. */
    private void rayPodsAreTheOperatorsOnThePool(String namespace, String rayClusterName) {
        GenericKubernetesResource rayCluster = admin.genericKubernetesResources(RAY_CLUSTERS).inNamespace(namespace)
                .withName(rayClusterName).get();
        assertThat(rayCluster).as("RayCluster " + namespace + "/" + rayClusterName).isNotNull();
        List<Pod> pods = admin.pods().inNamespace(namespace).withLabel("ray.io/cluster", rayClusterName).list()
                .getItems();
        assertThat(pods).as("head and 2 workers").hasSize(3);
        String poolNode = nodeOfPool(POOL);
        for (Pod pod : pods) {
            OwnerReference owner = pod.getMetadata().getOwnerReferences().stream()
                    .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
                    .orElseThrow(() -> new AssertionError(pod.getMetadata().getName() + " has no controller"));
            assertThat(owner.getKind()).isEqualTo("RayCluster");
            assertThat(owner.getUid()).isEqualTo(rayCluster.getMetadata().getUid());
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getNodeName()).as("node of " + pod.getMetadata().getName()).isEqualTo(poolNode);
        }
        assertThat(pods).extracting(p -> p.getMetadata().getLabels().get("ray.io/node-type"))
                .containsExactlyInAnyOrder("head", "worker", "worker");
    }

    private String nodeOfPool(String pool) {
        return admin.nodes().withLabel(POOL_LABEL, pool).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new AssertionError("no node in pool " + pool));
    }

    private String namespaceOf(String clusterId) {
        List<Namespace> namespaces = admin.namespaces().withLabel(Labels.CLUSTER_ID, clusterId).list().getItems();
        assertThat(namespaces).as("namespaces labelled " + Labels.CLUSTER_ID + "=" + clusterId).hasSize(1);
        return namespaces.get(0).getMetadata().getName();
    }

    private void assertSucceeded(String action, String operationId) {
        JsonNode op = sdk.awaitOperation(operationId, 300);
        assertThat(op.path("OperationState").asText()).as(action + " operation " + op + "\nemr-vke's log:\n"
                + lastLines(server.logText(), 60)).isEqualTo("SUCCESS");
    }

    private static void eventually(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            OfficialSdk.pause(500);
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(l -> !l.contains("emr-vke.access")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
