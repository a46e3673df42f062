package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    private static final String POOL = "pool-a";
    private static final String[] EVERY_APPLICATION = {"Spark", "Ray", "Celeborn", "Hive", "ZooKeeper", "Kyuubi"};

    @TempDir
    static Path tmp;
    private static EmrVkeOnRealKubernetes emrVke;

    @BeforeAll
    static void start() {
        emrVke = EmrVkeOnRealKubernetes.start("emr-vke-creates-on-real-k8s", tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (emrVke != null) {
            emrVke.close();
        }
    }

    @Test
    void aRayClusterIsMadeByTheRealOperatorOnItsPoolAndGoesWithTheCluster() {
        String clusterId = emrVke.createCluster("real-k8s", POOL, "Ray");

        assertThat(emrVke.sdk.call("GetVirtualCluster", Map.of("ClusterId", clusterId)).path("ClusterState")
                .asText()).isEqualTo("RUNNING");
        JsonNode instances = emrVke.sdk.call("ListComponentInstances", Map.of("ClusterId", clusterId,
                "MaxResults", 100)).path("Items");
        assertThat(instances).hasSize(2).allSatisfy(i -> assertThat(i.path("InstanceState").asText())
                .as("state of " + i.path("ReleaseName").asText()).isEqualTo("RUNNING"));
        rayPodsAreTheOperatorsOnThePool(emrVke.namespaceOf(clusterId), EmrVkeOnRealKubernetes.rayClusterOf(clusterId));

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }

    @Test
    void everyApplicationOfTheNewestReleaseRunsOnTwoPoolsOnly() {
        List<String> pools = List.of("default", "pool-b");
        String clusterId = emrVke.createCluster("real-k8s-all", pools, EVERY_APPLICATION);

        JsonNode apps = emrVke.sdk.call("ListApplications", Map.of("ClusterId", clusterId, "MaxResults", 100))
                .path("Items");
        assertThat(apps).extracting(a -> a.path("ApplicationName").asText())
                .containsExactlyInAnyOrder(EVERY_APPLICATION);
        JsonNode instances = emrVke.sdk.call("ListComponentInstances", Map.of("ClusterId", clusterId,
                "MaxResults", 100)).path("Items");
        int components = emrVke.sdk.call("ListComponents", Map.of("ClusterId", clusterId, "MaxResults", 100))
                .path("Items").size();
        assertThat(instances.size()).as("one instance per component").isEqualTo(components).isEqualTo(9);
        assertThat(instances).allSatisfy(i -> assertThat(i.path("InstanceState").asText())
                .as("state of " + i.path("ReleaseName").asText()).isEqualTo("RUNNING"));
        String namespace = emrVke.namespaceOf(clusterId);
        List<Pod> pods = emrVke.pods(namespace);
        assertThat(pods).as("pods of " + namespace).isNotEmpty().allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).as("phase of " + pod.getMetadata().getName()).isEqualTo("Running");
            assertThat(emrVke.poolOfNode(pod.getSpec().getNodeName()))
                    .as("pool of the node of " + pod.getMetadata().getName()).isIn(pools);
        });
        rayPodsAreTheOperatorsOnThePools(namespace, EmrVkeOnRealKubernetes.rayClusterOf(clusterId), pools);

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }

    private void rayPodsAreTheOperatorsOnThePools(String namespace, String rayClusterName, List<String> pools) {
        GenericKubernetesResource rayCluster = emrVke.rayCluster(namespace, rayClusterName);
        assertThat(rayCluster).as("RayCluster " + namespace + "/" + rayClusterName).isNotNull();
        assertThat(emrVke.rayPods(namespace, rayClusterName)).as("head and workers").hasSize(3).allSatisfy(pod -> {
            assertThat(pod.getMetadata().getOwnerReferences()).anySatisfy(o -> {
                assertThat(o.getKind()).isEqualTo("RayCluster");
                assertThat(o.getUid()).isEqualTo(rayCluster.getMetadata().getUid());
            });
            assertThat(emrVke.poolOfNode(pod.getSpec().getNodeName())).isIn(pools);
        });
    }

    /** Head and workers, each owned (controller reference) by the RayCluster, Running on the pool's node. */
    private void rayPodsAreTheOperatorsOnThePool(String namespace, String rayClusterName) {
        GenericKubernetesResource rayCluster = emrVke.rayCluster(namespace, rayClusterName);
        assertThat(rayCluster).as("RayCluster " + namespace + "/" + rayClusterName).isNotNull();
        List<Pod> pods = emrVke.rayPods(namespace, rayClusterName);
        assertThat(pods).as("head and 2 workers").hasSize(3);
        String poolNode = emrVke.nodeOfPool(POOL);
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
}
