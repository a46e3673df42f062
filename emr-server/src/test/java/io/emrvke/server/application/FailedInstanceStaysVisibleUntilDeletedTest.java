package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A CreateComponentInstance whose pods never become ready does not lose its instance: the
 * operation can be cancelled, the instance stays listed with its live state (FAILED), and a
 * DeleteComponentInstance removes its objects and row.
 */
class FailedInstanceStaysVisibleUntilDeletedTest {

    @Test
    void crashingInstanceIsKeptVisibleThenDeleted() throws Exception {
        try (RayPlane ray = RayPlane.start()) {
            String createOp = ray.call("CreateComponentInstance", Map.of("ClusterId", ray.clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", "ray-crash",
                    "ApplicationConfigs", List.of(Map.of("ConfigFileName", "__envs__",
                            "ConfigItemKey", "SANDBOX_FAULT", "ConfigItemValue", "crashloop"))))
                    .path("OperationId").asText();
            Map<String, Object> filter = Map.of("ClusterId", ray.clusterId, "ReleaseNames", List.of("ray-crash"));
            RayPlane.eventually("ray-crash is seen FAILED", Duration.ofSeconds(20), () -> "FAILED".equals(
                    ray.call("ListComponentInstances", filter).path("Items").path(0).path("InstanceState").asText()));
            assertThat(ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                    "InstanceStates", List.of("FAILED"))).path("Items").path(0).path("ReleaseName").asText())
                    .isEqualTo("ray-crash");

            ray.call("CancelOperation", Map.of("OperationId", createOp));
            JsonNode cancelled = ray.awaitOperation(createOp);
            assertThat(cancelled.path("OperationState").asText()).isEqualTo("CANCEL");
            JsonNode kept = ray.call("ListComponentInstances", filter);
            assertThat(kept.path("TotalCount").asInt()).as("the row stays after a failed create").isEqualTo(1);
            assertThat(kept.path("Items").path(0).path("DesiredState").asText()).isEqualTo("RUNNING");
            assertThat(ray.objectsOf("ray-crash")).contains("RayCluster/ray-crash");

            String deleteOp = ray.call("DeleteComponentInstance", Map.of("ClusterId", ray.clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", "ray-crash"))
                    .path("OperationId").asText();
            JsonNode deleted = ray.awaitOperation(deleteOp);
            assertThat(deleted.path("OperationState").asText()).as(deleted.toString()).isEqualTo("SUCCESS");
            assertThat(deleted.path("Steps").path(0).path("Action").asText()).isEqualTo("deleteInstance");
            assertThat(ray.objectsOf("ray-crash")).isEmpty();
            assertThat(ray.call("ListComponentInstances", filter).path("TotalCount").asInt()).isZero();
        }
    }
}
