package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path of an extra RayCluster through the API: listed components and instances, a
 * CreateComponentInstance that ends RUNNING with its objects in the sandbox and its config
 * version (secret redacted) and history, then a DeleteComponentInstance that removes both.
 */
@StartedPlanes.Own
class RayClusterInstanceIsCreatedListedAndDeletedTest {
    private static RayPlane ray;

    @Test
    void extraRayClusterGoesThroughItsWholeLife() {
        JsonNode components = ray.call("ListComponents", Map.of("ClusterId", ray.clusterId));
        assertThat(texts(components.path("Items"), "ComponentName")).containsExactly("KubeRayOperator", "RayCluster");
        assertThat(item(components, "ComponentName", "RayCluster").path("InstanceCount").asInt()).isEqualTo(1);
        assertThat(item(components, "ComponentName", "RayCluster").path("MultiInstance").asBoolean()).isTrue();
        assertThat(item(components, "ComponentName", "KubeRayOperator").path("MultiInstance").asBoolean()).isFalse();
        assertThat(texts(item(components, "ComponentName", "RayCluster").path("SupportedActions"), null))
                .containsExactly("start", "stop", "restart");

        JsonNode defaults = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId));
        assertThat(defaults.path("TotalCount").asInt()).isEqualTo(2);
        JsonNode defaultRay = item(defaults, "ReleaseName", ray.defaultRayCluster);
        assertThat(defaultRay.path("InstanceState").asText()).isEqualTo("RUNNING");
        assertThat(defaultRay.path("DesiredState").asText()).isEqualTo("RUNNING");
        assertThat(defaultRay.path("WorkloadKind").asText()).isEqualTo("RayCluster");
        assertThat(defaultRay.path("Replicas").asInt()).isEqualTo(3); // head + 2 workers
        assertThat(defaultRay.path("ReadyReplicas").asInt()).isEqualTo(3);
        assertThat(defaultRay.path("ConfigVersion").asInt()).isEqualTo(1);

        JsonNode created = ray.call("CreateComponentInstance", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "ray", "ComponentName", "raycluster", "ReleaseName", "ray-batch",
                "ApplicationConfigs", List.of(
                        Map.of("ConfigFileName", "ray-cluster-values.yaml", "ConfigItemKey", "worker_replicas",
                                "ConfigItemValue", "1"),
                        Map.of("ConfigFileName", "__envs__", "ConfigItemKey", "REDIS_PASSWORD",
                                "ConfigItemValue", "hunter2-secret"))));
        String createOp = created.path("OperationId").asText();
        assertThat(created.path("ClusterId").asText()).isEqualTo(ray.clusterId);
        JsonNode operation = ray.awaitOperation(createOp);
        assertThat(operation.path("OperationState").asText()).as(operation.toString()).isEqualTo("SUCCESS");
        assertThat(operation.path("OperationName").asText()).isEqualTo("CreateComponentInstance");
        assertThat(operation.path("Content").asText()).contains("******").doesNotContain("hunter2");

        JsonNode batch = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "ReleaseNames", List.of("ray-batch")));
        assertThat(batch.path("TotalCount").asInt()).isEqualTo(1);
        assertThat(batch.path("Items").get(0).path("InstanceState").asText()).isEqualTo("RUNNING");
        assertThat(batch.path("Items").get(0).path("Replicas").asInt()).isEqualTo(2); // head + 1 worker
        assertThat(ray.objectsOf("ray-batch")).contains("RayCluster/ray-batch");
        assertThat(ray.podsOf("ray-batch")).isEqualTo(2);
        assertThat(item(ray.call("ListComponents", Map.of("ClusterId", ray.clusterId,
                "ApplicationNames", List.of("Ray"))), "ComponentName", "RayCluster").path("InstanceCount").asInt())
                .isEqualTo(2);

        JsonNode configs = ray.call("ListApplicationConfigs", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray", "ReleaseName", "ray-batch", "MaxResults", 100));
        JsonNode password = item(configs, "ConfigItemKey", "REDIS_PASSWORD");
        assertThat(password.path("ConfigItemValue").asText()).isEqualTo("******");
        assertThat(password.path("Secret").asBoolean()).isTrue();
        assertThat(item(configs, "ConfigItemKey", "worker_replicas").path("ConfigItemValue").asText()).isEqualTo("1");
        assertThat(item(configs, "ConfigItemKey", "worker_replicas").path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(configs.toString()).doesNotContain("hunter2");

        JsonNode history = ray.call("ListApplicationConfigHistories", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray", "ReleaseName", "ray-batch"));
        assertThat(texts(history.path("Items"), "ConfigItemKey")).containsExactlyInAnyOrder("worker_replicas",
                "REDIS_PASSWORD");
        JsonNode workers = item(history, "ConfigItemKey", "worker_replicas");
        assertThat(workers.path("OldValue").asText()).isEqualTo("2");
        assertThat(workers.path("NewValue").asText()).isEqualTo("1");
        assertThat(workers.path("OperationId").asText()).isEqualTo(createOp);
        assertThat(item(history, "ConfigItemKey", "REDIS_PASSWORD").path("NewValue").asText()).isEqualTo("******");
        assertThat(history.toString()).doesNotContain("hunter2");

        String deleteOp = ray.call("DeleteComponentInstance", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", "ray-batch"))
                .path("OperationId").asText();
        JsonNode deleted = ray.awaitOperation(deleteOp);
        assertThat(deleted.path("OperationState").asText()).as(deleted.toString()).isEqualTo("SUCCESS");
        assertThat(ray.objectsOf("ray-batch")).isEmpty();
        RayPlane.eventually("pods of ray-batch gone", Duration.ofSeconds(10), () -> ray.podsOf("ray-batch") == 0);
        assertThat(ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "ReleaseNames", List.of("ray-batch"))).path("TotalCount").asInt()).isZero();
        assertThat(ray.call("ListApplicationConfigs", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray", "ConfigFileName", "__envs__", "MaxResults", 100)).toString())
                .doesNotContain("REDIS_PASSWORD");
        assertThat(ray.call("ListApplicationConfigHistories", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray")).path("TotalCount").asInt()).as("history stays").isEqualTo(2);
        assertThat(ray.objectsOf(ray.defaultRayCluster)).as("the default instance is untouched")
                .contains("RayCluster/" + ray.defaultRayCluster);
    }

    @Test
    void instanceStateFilterAppliesToTheLiveState() {
        JsonNode running = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "InstanceStates", List.of("running"), "ComponentNames", List.of("RayCluster")));
        assertThat(texts(running.path("Items"), "ReleaseName")).contains(ray.defaultRayCluster);
        JsonNode failed = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "InstanceStates", List.of("FAILED")));
        assertThat(failed.path("TotalCount").asInt()).isZero();
        JsonNode paged = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId, "MaxResults", 1,
                "NextToken", 1));
        assertThat(paged.path("Items").size()).isEqualTo(1);
        assertThat(paged.path("MaxResults").asInt()).isEqualTo(1);
        assertThat(paged.path("NextToken").asInt()).isEqualTo(2);
    }

    static JsonNode item(JsonNode page, String field, String value) {
        for (JsonNode i : page.path("Items")) {
            if (value.equals(i.path(field).asText())) {
                return i;
            }
        }
        throw new AssertionError("no item with " + field + "=" + value + " in " + page);
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }
}
