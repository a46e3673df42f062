package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.runtime.Labels;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/**
 * CreateVirtualCluster with two applications ends SUCCESS with every step, the cluster RUNNING, its applications
 * INSTALLED and every pod Ready. Ray's pods take a second to be ready (SANDBOX_FAULT=slow), long against the
 * test's polling: a deploy step that reported success before its pods were Ready leaves them unready when the
 * operation is seen to end, and the test fails.
 */
class CreateClusterReachesRunningTest {
    private static final String SLOW_PODS = "slow:1000";

    @StoreTest
    void clusterApplicationsAndKubernetesObjectsAllComeUp(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            JsonNode created = lp.call("CreateVirtualCluster", "{\"ClusterName\":\"analytics-\u6570\u636e.1\","
                    + "\"ReleaseVersion\":\"emr-vke-1.8.0\",\"VkeCluster\":{\"VkeClusterId\":\"sandbox\","
                    + "\"VkeNodePoolIds\":[\"default\"]},\"Applications\":[{\"ApplicationName\":\"ray\","
                    + "\"ApplicationConfigs\":[{\"ConfigFileName\":\"ray-cluster-values.yaml\","
                    + "\"ConfigItemKey\":\"worker_replicas\",\"ConfigItemValue\":\"1\"},"
                    + "{\"ConfigFileName\":\"__envs__\",\"ConfigItemKey\":\"SANDBOX_FAULT\","
                    + "\"ConfigItemValue\":\"" + SLOW_PODS + "\"}]},"
                    + "{\"ApplicationName\":\"Spark\"}]}");
            String clusterId = created.path("ClusterId").asText();
            assertThat(clusterId).matches("emr-[a-z0-9]{20}");
            assertThat(lp.cluster(clusterId).path("ClusterState").asText()).isIn("INIT", "RUNNING");

            var kube = lp.kube();
            JsonNode op = lp.awaitOperation(created.path("OperationId").asText());
            List<Pod> pods = kube.pods().inNamespace(clusterId).list().getItems();

            assertThat(op.path("OperationState").asText()).isEqualTo("SUCCESS");
            // 3 deployments of 1 pod, a RayCluster of a head and the 1 worker the request asked for: all Ready
            // the moment the operation is seen to have ended
            assertThat(pods).hasSize(5);
            for (Pod pod : pods) {
                assertThat(pod.getSpec().getNodeSelector()).containsEntry("sandbox.emr-vke.io/node-pool", "default");
                assertThat(pod.getStatus().getConditions()).as(pod.getMetadata().getName() + " is Ready")
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            }
            assertThat(op.path("OperationName").asText()).isEqualTo("CreateCluster");
            String suffix = clusterId.substring(4, 8);
            List<String> steps = new ArrayList<>();
            op.path("Steps").forEach(s -> steps.add(s.path("Action").asText() + " " + s.path("ReleaseName").asText("")));
            assertThat(steps).containsExactly("createNamespace ", "deploy spark-operator-" + suffix,
                    "deploy spark-history-server-" + suffix, "deploy kuberay-operator-" + suffix,
                    "deploy raycluster-" + suffix);

            JsonNode cluster = lp.cluster(clusterId);
            assertThat(cluster.path("ClusterState").asText()).isEqualTo("RUNNING");
            assertThat(cluster.path("ReadyTime").asLong()).isPositive();
            assertThat(cluster.path("ClusterName").asText()).isEqualTo("analytics-\u6570\u636e.1");
            assertThat(cluster.path("ReleaseVersion").asText()).isEqualTo("EMR-VKE-1.8.0");
            assertThat(cluster.path("ProjectName").asText()).isEqualTo("default");
            assertThat(cluster.path("VkeClusterId").asText()).isEqualTo("sandbox");
            List<String> apps = new ArrayList<>();
            lp.applications(clusterId).path("Items").forEach(a -> apps.add(a.path("ApplicationName").asText() + " "
                    + a.path("ApplicationVersion").asText() + " " + a.path("ApplicationState").asText()));
            assertThat(apps).containsExactlyInAnyOrder("Spark 3.5.1 INSTALLED", "Ray 2.39.0 INSTALLED");

            assertThat(kube.namespaces().withName(clusterId).get()).isNotNull();
            List<Deployment> deployments = kube.apps().deployments().inNamespace(clusterId).list().getItems();
            assertThat(deployments).extracting(d -> d.getMetadata().getLabels().get(Labels.INSTANCE))
                    .containsExactlyInAnyOrder("spark-operator-" + suffix, "spark-history-server-" + suffix,
                            "kuberay-operator-" + suffix);
            for (Deployment d : deployments) {
                assertThat(d.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .containsEntry(Labels.CLUSTER_ID, clusterId).containsKey(Labels.APPLICATION);
            }
        }
    }
}
