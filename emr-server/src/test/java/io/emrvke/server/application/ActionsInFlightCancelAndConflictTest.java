package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static io.emrvke.server.application.ActionPlane.configs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart in flight: cancelled within a step or between batches it ends CANCEL and the
 * instances not reached keep their pods and config version; an action on one of its instances is
 * refused naming it, while an action on another instance of the same component runs alongside.
 */
@StartedPlanes.Shared
class ActionsInFlightCancelAndConflictTest {
    private static ActionPlane plane;

    private static String clusterWith(String name, String... instances) {
        String clusterId = plane.runningCluster(name, "Ray");
        for (String r : instances) {
            plane.addRayCluster(clusterId, r);
        }
        return clusterId;
    }

    /** Pods of restarted instances take 1.5 s to be ready: each step lasts a while. */
    private static Map<String, Object> slowRestart(String clusterId, String releaseNames, Map<String, String> more) {
        Map<String, String> params = new java.util.HashMap<>(more);
        params.put("releaseName", releaseNames);
        params.put("applicationConfigs", configs("__envs__", "SANDBOX_FAULT", "slow:1500"));
        return action(clusterId, "restart", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"), params);
    }

    private static String stepState(JsonNode op, int index) {
        return op.path("Steps").get(index).path("StepState").asText();
    }

    @Test
    void cancelWithinAStepEndsCancelAndLeavesInstancesNotReachedUntouched() {
        String clusterId = clusterWith("cancel-within", "r-a", "r-b", "r-c", "r-d");
        List<String> cPods = plane.podUids(clusterId, "r-c");
        List<String> dPods = plane.podUids(clusterId, "r-d");
        String operationId = plane.call("RunApplicationAction", slowRestart(clusterId, "r-a,r-b,r-c,r-d", Map.of()))
                .path("OperationId").asText();
        ActionPlane.eventually("r-b is restarting", () -> "RUNNING".equals(stepState(plane.operation(operationId), 1)));

        plane.call("CancelOperation", Map.of("OperationId", operationId));
        JsonNode op = plane.awaitOperation(operationId);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("CANCEL");
        assertThat(ActionPlane.steps(op)).containsExactly("restart r-a SUCCESS", "restart r-b CANCEL",
                "restart r-c CANCEL", "restart r-d CANCEL");
        assertThat(plane.podUids(clusterId, "r-c")).isEqualTo(cPods);
        assertThat(plane.podUids(clusterId, "r-d")).isEqualTo(dPods);
        Map<String, JsonNode> instances = plane.instances(clusterId);
        assertThat(instances.get("r-a").path("ConfigVersion").asInt()).isEqualTo(2);
        assertThat(instances.get("r-c").path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(instances.get("r-d").path("ConfigVersion").asInt()).isEqualTo(1);

        JsonNode late = plane.error("CancelOperation", Map.of("OperationId", operationId));
        assertThat(late.path("Code").asText()).isEqualTo("OperationDenied.OperationState");
    }

    @Test
    void cancelBetweenBatchesEndsCancelBeforeTheNextBatch() {
        String clusterId = clusterWith("cancel-between", "r-a", "r-b");
        List<String> bPods = plane.podUids(clusterId, "r-b");
        String operationId = plane.call("RunApplicationAction", action(clusterId, "restart", "COMPONENT", "Ray",
                List.of("RayCluster"), Map.of("releaseName", "r-a,r-b", "batchIntervalSeconds", "30")))
                .path("OperationId").asText();
        ActionPlane.eventually("r-a restarted", () -> "SUCCESS".equals(stepState(plane.operation(operationId), 0)));

        plane.call("CancelOperation", Map.of("OperationId", operationId));
        JsonNode op = plane.awaitOperation(operationId);

        assertThat(op.path("OperationState").asText()).isEqualTo("CANCEL");
        assertThat(ActionPlane.steps(op)).containsExactly("restart r-a SUCCESS", "restart r-b CANCEL");
        assertThat(op.path("EndTime").asLong() - op.path("StartTime").asLong()).isLessThan(30_000);
        assertThat(plane.podUids(clusterId, "r-b")).isEqualTo(bPods);
    }

    @Test
    void anOverlappingActionIsRefusedNamingTheRunningOperationWhileAnotherInstanceRunsAlongside() {
        String clusterId = clusterWith("conflicts", "r-a", "r-b");
        String running = plane.call("RunApplicationAction", slowRestart(clusterId, "r-a", Map.of()))
                .path("OperationId").asText();

        JsonNode refused = plane.error("RunApplicationAction", action(clusterId, "stop", "COMPONENT_INSTANCE", "Ray",
                List.of("RayCluster"), Map.of("releaseName", "r-a")));
        assertThat(refused.path("Code").asText()).isEqualTo("OperationDenied.ConflictingOperation");
        assertThat(refused.path("HttpStatus").asInt()).isEqualTo(409);
        assertThat(refused.path("Message").asText()).contains(running);

        JsonNode alongside = plane.runAndAwait(action(clusterId, "stop", "COMPONENT_INSTANCE", "Ray",
                List.of("RayCluster"), Map.of("releaseName", "r-b")));
        assertThat(alongside.path("OperationState").asText()).isEqualTo("SUCCESS");
        assertThat(plane.operation(running).path("OperationState").asText())
                .as("the first is still running while the second ended").isIn("ACCEPT", "RUNNING");
        assertThat(plane.awaitOperation(running).path("OperationState").asText()).isEqualTo("SUCCESS");
    }
}
