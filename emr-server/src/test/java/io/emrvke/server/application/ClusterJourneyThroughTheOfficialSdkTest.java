package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole life of a virtual cluster through the official Volcengine SDK, checking after every
 * step both what the API says and what is in Kubernetes: create with Ray, deploy Spark with config
 * items (one secret), list applications, components, instances and configs, add and delete a
 * second RayCluster, undeploy Spark, delete the cluster.
 */
@StartedPlanes.Shared
class ClusterJourneyThroughTheOfficialSdkTest {
    private static final String SECRET = "journey-s3cr3t-value";
    private static ActionPlane plane;

    @Test
    void aClusterLivesAndDiesThroughTheSdk() {
        String clusterId = plane.runningCluster("journey", "Ray");
        String ns = plane.namespace(clusterId);
        String suffix = ActionPlane.suffix(clusterId);
        assertThat(plane.call("GetVirtualCluster", Map.of("ClusterId", clusterId)).path("ClusterState").asText())
                .isEqualTo("RUNNING");
        assertThat(plane.kube.namespaces().withName(ns).get()).isNotNull();
        assertThat(plane.pods(clusterId, "raycluster-" + suffix)).hasSize(3)
                .allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "emr-vke")
                        .containsEntry(Labels.CLUSTER_ID, clusterId).containsEntry(Labels.APPLICATION, "Ray"));

        deploySparkWithASecret(clusterId, ns, suffix);
        listsShowEverythingRunning(clusterId);
        configsAreListedWithTheSecretRedacted(clusterId, suffix);
        aSecondRayClusterComesAndGoes(clusterId, ns);
        undeploySpark(clusterId, ns, suffix);
        deleteTheCluster(clusterId, ns);
    }

    private void deploySparkWithASecret(String clusterId, String ns, String suffix) {
        JsonNode deployed = plane.call("DeployApplications", Map.of("ClusterId", clusterId, "ClientToken", "journey-1",
                "Applications", List.of(Map.of("ApplicationName", "spark", "ApplicationConfigs", List.of(
                        Map.of("ConfigFileName", "spark-defaults.conf", "ConfigItemKey", "spark.executor.memory",
                                "ConfigItemValue", "3g"),
                        Map.of("ConfigFileName", "__envs__", "ConfigItemKey", "ve_secret_key",
                                "ConfigItemValue", SECRET))))));
        JsonNode op = plane.awaitOperation(deployed.path("OperationId").asText());
        assertThat(op.path("OperationState").asText()).isEqualTo("SUCCESS");
        assertThat(op.path("Content").asText()).contains("******").doesNotContain(SECRET);

        String history = "spark-history-server-" + suffix;
        ConfigMap config = plane.kube.configMaps().inNamespace(ns).withName(history + "-config").get();
        assertThat(config.getData().get("spark-defaults.conf")).contains("spark.executor.memory 3g");
        assertThat(config.getData().toString()).doesNotContain(SECRET);
        Secret secret = plane.kube.secrets().inNamespace(ns).withName(history + "-secret").get();
        assertThat(secret.getData().values()).anySatisfy(v ->
                assertThat(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).isEqualTo(SECRET));
        assertThat(plane.pods(clusterId, history)).hasSize(1);
    }

    private void listsShowEverythingRunning(String clusterId) {
        List<String> apps = new ArrayList<>();
        plane.call("ListApplications", Map.of("ClusterId", clusterId)).path("Items").forEach(a -> {
            apps.add(a.path("ApplicationName").asText());
            assertThat(a.path("ApplicationState").asText()).isEqualTo("INSTALLED");
        });
        assertThat(apps).containsExactlyInAnyOrder("Ray", "Spark");

        List<String> components = new ArrayList<>();
        plane.call("ListComponents", Map.of("ClusterId", clusterId)).path("Items")
                .forEach(c -> components.add(c.path("ComponentName").asText()));
        assertThat(components).containsExactlyInAnyOrder("SparkOperator", "SparkHistoryServer", "KubeRayOperator",
                "RayCluster");

        Map<String, JsonNode> instances = plane.instances(clusterId);
        assertThat(instances).hasSize(4);
        assertThat(instances.values()).allSatisfy(i -> {
            assertThat(i.path("InstanceState").asText()).isEqualTo("RUNNING");
            assertThat(i.path("ReadyReplicas").asInt()).isEqualTo(i.path("Replicas").asInt());
        });
    }

    private void configsAreListedWithTheSecretRedacted(String clusterId, String suffix) {
        JsonNode items = plane.call("ListApplicationConfigs", Map.of("ClusterId", clusterId, "ApplicationName", "Spark",
                "ReleaseName", "spark-history-server-" + suffix, "MaxResults", 100)).path("Items");
        List<String> shown = new ArrayList<>();
        items.forEach(i -> shown.add(i.path("ConfigFileName").asText() + ":" + i.path("ConfigItemKey").asText() + "="
                + i.path("ConfigItemValue").asText()));
        assertThat(shown).contains("spark-defaults.conf:spark.executor.memory=3g", "__envs__:ve_secret_key=******");
        assertThat(items.toString()).doesNotContain(SECRET);
        JsonNode history = plane.call("ListApplicationConfigHistories", Map.of("ClusterId", clusterId,
                "ApplicationName", "Spark", "MaxResults", 100));
        assertThat(history.toString()).contains("ve_secret_key").doesNotContain(SECRET);
    }

    private void aSecondRayClusterComesAndGoes(String clusterId, String ns) {
        plane.addRayCluster(clusterId, "ray-second");
        assertThat(plane.instances(clusterId).get("ray-second").path("InstanceState").asText()).isEqualTo("RUNNING");
        assertThat(rayClusters(ns)).contains("ray-second");
        assertThat(plane.pods(clusterId, "ray-second")).isNotEmpty();

        JsonNode deleted = plane.call("DeleteComponentInstance", Map.of("ClusterId", clusterId, "ApplicationName", "Ray",
                "ComponentName", "RayCluster", "ReleaseName", "ray-second"));
        assertThat(plane.awaitOperation(deleted.path("OperationId").asText()).path("OperationState").asText())
                .isEqualTo("SUCCESS");
        assertThat(plane.instances(clusterId)).doesNotContainKey("ray-second");
        assertThat(rayClusters(ns)).doesNotContain("ray-second");
        eventually("ray-second's pods are gone", () -> plane.pods(clusterId, "ray-second").isEmpty());
    }

    private void undeploySpark(String clusterId, String ns, String suffix) {
        JsonNode undeployed = plane.call("UndeployApplications", Map.of("ClusterId", clusterId,
                "ApplicationNames", List.of("Spark")));
        assertThat(plane.awaitOperation(undeployed.path("OperationId").asText()).path("OperationState").asText())
                .isEqualTo("SUCCESS");
        List<String> apps = new ArrayList<>();
        plane.call("ListApplications", Map.of("ClusterId", clusterId)).path("Items")
                .forEach(a -> apps.add(a.path("ApplicationName").asText()));
        assertThat(apps).containsExactly("Ray");
        assertThat(plane.kube.apps().deployments().inNamespace(ns).withLabel(Labels.APPLICATION, "Spark").list()
                .getItems()).isEmpty();
        assertThat(plane.kube.configMaps().inNamespace(ns).withName("spark-history-server-" + suffix + "-config").get())
                .isNull();
        eventually("Spark's pods are gone", () -> plane.pods(clusterId, "spark-history-server-" + suffix).isEmpty());
    }

    private void deleteTheCluster(String clusterId, String ns) {
        JsonNode deleted = plane.call("DeleteVirtualCluster", Map.of("ClusterId", clusterId));
        assertThat(plane.awaitOperation(deleted.path("OperationId").asText()).path("OperationState").asText())
                .isEqualTo("SUCCESS");
        JsonNode cluster = plane.call("GetVirtualCluster", Map.of("ClusterId", clusterId));
        assertThat(cluster.path("ClusterState").asText()).isEqualTo("DELETED");
        assertThat(cluster.path("DeleteTime").isNumber()).isTrue();
        assertThat(plane.call("ListVirtualClusters", Map.of()).path("Items").toString()).doesNotContain(clusterId);
        assertThat(plane.kube.namespaces().withName(ns).get()).isNull();
        assertThat(plane.kube.pods().inNamespace(ns).list().getItems()).isEmpty();
    }

    private static List<String> rayClusters(String ns) {
        return plane.kube.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                        .withGroup("ray.io").withVersion("v1").withPlural("rayclusters").withKind("RayCluster").withNamespaced(true).build())
                .inNamespace(ns).list().getItems().stream().map(HasMetadata::getMetadata).map(m -> m.getName()).toList();
    }
}
