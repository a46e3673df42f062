package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static io.emrvke.server.application.ActionPlane.configs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * dryRun=true validates and plans, stores the operation ended SKIP with the plan (and each step's
 * config diff) in Steps, holds nothing and changes nothing (no pod, no config version, no ConfigMap or Secret:
 * their resourceVersions stay as they were, and none is added); Content masks secret values; the ClientToken
 * replays the same OperationId.
 */
@StartedPlanes.Shared
class DryRunReturnsThePlanAndChangesNothingTest {
    private static ActionPlane plane;

    @Test
    void dryRunStoresTheBatchedPlanWithConfigDiffsAndTouchesNothing() throws Exception {
        String clusterId = plane.runningCluster("dry-run", "Ray");
        String ray = "raycluster-" + ActionPlane.suffix(clusterId);
        plane.addRayCluster(clusterId, "ray-b");
        List<String> pods = plane.podUids(clusterId, ray);
        Map<String, String> configObjects = configMapsAndSecrets(plane.namespace(clusterId));
        assertThat(configObjects).containsKeys("ConfigMap " + ray + "-config", "ConfigMap ray-b-config");
        Map<String, Object> body = action(clusterId, "restart", "COMPONENT", "Ray", List.of("RayCluster"), Map.of(
                "releaseName", ray + ",ray-b", "dryRun", "true", "batchSize", "2",
                "applicationConfigs", configs("ray-cluster-values.yaml", "worker_replicas", "3",
                        "__envs__", "S3_SECRET_KEY", "very-secret-1")));
        body.put("ClientToken", "dry-run-1");
        body.put("Remark", "preview");

        JsonNode result = plane.call("RunApplicationAction", body);
        JsonNode op = plane.operation(result.path("OperationId").asText());

        assertThat(op.path("OperationState").asText()).isEqualTo("SKIP");
        assertThat(op.path("StateChangeReason").asText()).contains("Dry run");
        assertThat(op.path("Remark").asText()).isEqualTo("preview");
        assertThat(ActionPlane.steps(op)).containsExactly("restart ray-b SKIP", "restart " + ray + " SKIP");
        String message = op.path("Steps").get(0).path("Message").asText();
        assertThat(message).contains("ray-cluster-values.yaml worker_replicas: 2 → 3")
                .contains("__envs__ S3_SECRET_KEY: (unset) → ******").doesNotContain("very-secret-1");
        assertThat(op.path("Progress").path("Skipped").asInt()).isEqualTo(2);

        String content = op.path("Content").asText();
        assertThat(content).doesNotContain("very-secret-1").contains("******").contains("worker_replicas");
        JsonNode request = Json.plain().readTree(content);
        assertThat(request.path("ActionName").asText()).isEqualTo("restart");
        assertThat(op.toString()).doesNotContain("very-secret-1");

        assertThat(plane.podUids(clusterId, ray)).isEqualTo(pods);
        assertThat(configMapsAndSecrets(plane.namespace(clusterId))).as("ConfigMaps and Secrets by resourceVersion")
                .isEqualTo(configObjects);
        assertThat(plane.instances(clusterId).get(ray).path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(plane.instances(clusterId).get("ray-b").path("ConfigVersion").asInt()).isEqualTo(1);

        assertThat(plane.call("RunApplicationAction", body).path("OperationId").asText())
                .as("ClientToken replay").isEqualTo(result.path("OperationId").asText());
        JsonNode real = plane.runAndAwait(action(clusterId, "stop", "COMPONENT_INSTANCE", "Ray", List.of(),
                Map.of("releaseName", "ray-b")));
        assertThat(real.path("OperationState").asText()).as("a dry run holds no instance").isEqualTo("SUCCESS");
    }

    /** "ConfigMap name" or "Secret name" → resourceVersion, of every one in the namespace. */
    private static Map<String, String> configMapsAndSecrets(String namespace) {
        Map<String, String> out = new TreeMap<>();
        plane.kube.configMaps().inNamespace(namespace).list().getItems().forEach(c -> out.put("ConfigMap "
                + c.getMetadata().getName(), c.getMetadata().getResourceVersion()));
        plane.kube.secrets().inNamespace(namespace).list().getItems().forEach(s -> out.put("Secret "
                + s.getMetadata().getName(), s.getMetadata().getResourceVersion()));
        return out;
    }
}
