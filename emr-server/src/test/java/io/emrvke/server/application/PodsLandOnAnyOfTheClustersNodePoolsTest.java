package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

class PodsLandOnAnyOfTheClustersNodePoolsTest {
    private static final String LABEL = ServerConfig.DEFAULT_NODE_POOL_LABEL;

    @StoreTest
    void everyPodIsPinnedToTheTwoPoolsAndRunsOnANodeOfOne(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            KubernetesClient kube = lp.kube();
            // The sandbox seeds three nodes of pool "default": move two into pools of their own.
            movePool(kube, "sandbox-node-2", "gpu");
            movePool(kube, "sandbox-node-3", "spot");

            JsonNode created = lp.call("CreateVirtualCluster", "{\"ClusterName\":\"two-pools\",\"ReleaseVersion\":\""
                    + LifecyclePlane.RELEASE + "\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\","
                    + "\"VkeNodePoolIds\":[\"spot\",\"gpu\"]},\"Applications\":[{\"ApplicationName\":\"Ray\","
                    + "\"ApplicationConfigs\":[{\"ConfigFileName\":\"ray-cluster-values.yaml\","
                    + "\"ConfigItemKey\":\"worker_replicas\",\"ConfigItemValue\":\"2\"}]},"
                    + "{\"ApplicationName\":\"Spark\"}]}");
            String clusterId = created.path("ClusterId").asText();
            JsonNode op = lp.awaitOperation(created.path("OperationId").asText());
            assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");

            JsonNode cluster = lp.cluster(clusterId);
            assertThat(cluster.path("ClusterState").asText()).isEqualTo("RUNNING");
            // the wire VirtualCluster has no VkeNodePoolIds (api.md): the pools show in where the pods run

            List<Pod> pods = kube.pods().inNamespace(clusterId).list().getItems();
            // spark-operator, spark-history-server, kuberay-operator; a Ray head and two workers
            assertThat(pods).hasSize(6);
            for (Pod pod : pods) {
                String name = pod.getMetadata().getName();
                assertThat(pod.getSpec().getNodeSelector()).as(name).isNullOrEmpty();
                List<NodeSelectorRequirement> required = pod.getSpec().getAffinity().getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                        .getMatchExpressions();
                assertThat(required).as(name).singleElement().satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(LABEL);
                    assertThat(r.getOperator()).isEqualTo("In");
                    assertThat(r.getValues()).containsExactly("spot", "gpu");
                });
                String node = pod.getSpec().getNodeName();
                assertThat(kube.nodes().withName(node).get().getMetadata().getLabels().get(LABEL))
                        .as(name + " on " + node).isIn("spot", "gpu");
                assertThat(pod.getStatus().getConditions()).as(name).anyMatch(c -> c.getType().equals("Ready")
                        && c.getStatus().equals("True"));
            }
        }
    }

    private static void movePool(KubernetesClient kube, String node, String pool) {
        kube.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"" + pool + "\"}}}");
    }
}
