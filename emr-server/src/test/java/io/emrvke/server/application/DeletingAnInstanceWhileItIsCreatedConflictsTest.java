package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * While a CreateComponentInstance holds its instance, a DeleteComponentInstance of it is refused
 * naming the running operation; a retry of the create with its ClientToken gets the same operation;
 * once the create ends, the delete goes through. On H2 and PostgreSQL.
 */
class DeletingAnInstanceWhileItIsCreatedConflictsTest {

    @StoreTest
    void deleteDuringCreateIsRefusedNamingTheCreate(StoreBackend backend) throws Exception {
        try (RayPlane ray = RayPlane.start(backend.jdbcUrl())) {
            Map<String, Object> create = new HashMap<>(Map.of("ClusterId", ray.clusterId, "ApplicationName", "Ray",
                    "ComponentName", "RayCluster", "ReleaseName", "ray-slow", "ClientToken", "create-ray-slow-1",
                    // pods of this instance take 3 s to become ready: the create is still running below
                    "ApplicationConfigs", List.of(Map.of("ConfigFileName", "__envs__",
                            "ConfigItemKey", "SANDBOX_FAULT", "ConfigItemValue", "slow:3000"))));
            String createOp = ray.call("CreateComponentInstance", create).path("OperationId").asText();

            Map<String, Object> delete = Map.of("ClusterId", ray.clusterId, "ApplicationName", "Ray",
                    "ComponentName", "RayCluster", "ReleaseName", "ray-slow");
            EmrApiException conflict = ray.error("DeleteComponentInstance", delete);
            assertThat(conflict.httpStatus()).isEqualTo(409);
            assertThat(conflict.code()).isEqualTo("OperationDenied.ConflictingOperation");
            assertThat(conflict.apiMessage()).contains(createOp).contains("ray-slow");

            JsonNode retried = ray.call("CreateComponentInstance", create);
            assertThat(retried.path("OperationId").asText()).as("same ClientToken, same answer").isEqualTo(createOp);
            EmrApiException mismatch = ray.error("CreateComponentInstance",
                    new HashMap<>(Map.of("ClusterId", ray.clusterId, "ApplicationName", "Ray",
                            "ComponentName", "RayCluster", "ReleaseName", "ray-other",
                            "ClientToken", "create-ray-slow-1")));
            assertThat(mismatch.code()).isEqualTo("IdempotentParameterMismatch");

            JsonNode instance = ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                    "ReleaseNames", List.of("ray-slow"))).path("Items").get(0);
            assertThat(instance.path("InstanceState").asText()).isIn("UNKNOWN", "STARTING");

            JsonNode created = ray.awaitOperation(createOp);
            assertThat(created.path("OperationState").asText()).as(created.toString()).isEqualTo("SUCCESS");
            String deleteOp = ray.call("DeleteComponentInstance", delete).path("OperationId").asText();
            assertThat(ray.awaitOperation(deleteOp).path("OperationState").asText()).isEqualTo("SUCCESS");
            assertThat(ray.objectsOf("ray-slow")).isEmpty();
            assertThat(ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId))
                    .path("TotalCount").asInt()).isEqualTo(2);
        }
    }
}
