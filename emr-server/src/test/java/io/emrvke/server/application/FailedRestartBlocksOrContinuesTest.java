package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static io.emrvke.server.application.ActionPlane.configs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restart whose new config makes pods crash (SANDBOX_FAULT=crashloop through __envs__) fails
 * within its timeout with a reason naming the instance and the pods' state. BLOCK leaves the later
 * instances untouched (old pods, old config version, steps CANCEL); CONTINUE restarts them too.
 */
@StartedPlanes.Shared
class FailedRestartBlocksOrContinuesTest {
    private static final int TIMEOUT_SECONDS = 3;
    private static ActionPlane plane;

    /** A Ray cluster with instances r-a, r-b, r-c (restarted in that order) besides the default one. */
    private static String clusterWithThreeInstances(String name) {
        String clusterId = plane.runningCluster(name, "Ray");
        for (String r : List.of("r-a", "r-b", "r-c")) {
            plane.addRayCluster(clusterId, r);
        }
        return clusterId;
    }

    private static Map<String, Object> crashingRestart(String clusterId, String strategy) {
        return action(clusterId, "restart", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"), Map.of(
                "releaseName", "r-a,r-b,r-c", "failureStrategy", strategy,
                "timeoutSeconds", String.valueOf(TIMEOUT_SECONDS),
                "applicationConfigs", configs("__envs__", "SANDBOX_FAULT", "crashloop")));
    }

    @Test
    void blockStopsAtTheFirstFailedInstanceAndLeavesTheRestUntouched() {
        String clusterId = clusterWithThreeInstances("block");
        List<String> bPods = plane.podUids(clusterId, "r-b");
        List<String> cPods = plane.podUids(clusterId, "r-c");

        long t0 = System.currentTimeMillis();
        JsonNode op = plane.runAndAwait(crashingRestart(clusterId, "block"));
        long took = System.currentTimeMillis() - t0;

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("FAILED");
        assertThat(took).as("ends within about one step timeout").isLessThan(TIMEOUT_SECONDS * 1000L + 4000);
        assertThat(ActionPlane.steps(op)).containsExactly("restart r-a FAILED", "restart r-b CANCEL",
                "restart r-c CANCEL");
        String reason = op.path("StateChangeReason").asText();
        assertThat(reason).contains("r-a").contains("CrashLoopBackOff");
        assertThat(op.path("Steps").get(0).path("Message").asText()).contains("r-a").contains("CrashLoopBackOff");
        assertThat(op.path("Progress").path("Failed").asInt()).isEqualTo(1);
        assertThat(op.path("Progress").path("Cancelled").asInt()).isEqualTo(2);

        assertThat(plane.podUids(clusterId, "r-b")).isEqualTo(bPods);
        assertThat(plane.podUids(clusterId, "r-c")).isEqualTo(cPods);
        Map<String, JsonNode> instances = plane.instances(clusterId);
        assertThat(instances.get("r-a").path("ConfigVersion").asInt()).isEqualTo(2);
        assertThat(instances.get("r-a").path("InstanceState").asText()).isEqualTo("FAILED");
        assertThat(instances.get("r-b").path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(instances.get("r-c").path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(instances.get("r-c").path("InstanceState").asText()).isEqualTo("RUNNING");
    }

    @Test
    void continueCarriesOnWithEveryInstanceAndStillEndsFailed() {
        String clusterId = clusterWithThreeInstances("continue");
        List<String> cPods = plane.podUids(clusterId, "r-c");

        JsonNode op = plane.runAndAwait(crashingRestart(clusterId, "CONTINUE"));

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("FAILED");
        assertThat(ActionPlane.steps(op)).containsExactly("restart r-a FAILED", "restart r-b FAILED",
                "restart r-c FAILED");
        assertThat(op.path("StateChangeReason").asText()).contains("r-a").contains("r-b").contains("r-c");
        assertThat(plane.podUids(clusterId, "r-c")).doesNotContainAnyElementsOf(cPods);
        assertThat(plane.instances(clusterId).get("r-c").path("ConfigVersion").asInt()).isEqualTo(2);
    }
}
