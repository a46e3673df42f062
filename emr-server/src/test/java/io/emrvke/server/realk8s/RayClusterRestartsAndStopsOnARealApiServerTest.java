package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.Json;
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
 * RunApplicationAction on a real API server with the real KubeRay operator, emr-vke as its least-privilege
 * identity: a restart with applicationConfigs (the public documentation's RAY/RayCluster example) puts the
 * new value in the real RayCluster and has KubeRay replace every pod with one carrying it; stop takes the
 * pods away, start brings them back.
 */
@Tag("realk8s")
class RayClusterRestartsAndStopsOnARealApiServerTest {
    private static final String NEW_WORKER_MEMORY = "3Gi";

    @TempDir
    static Path tmp;
    private static EmrVkeOnRealKubernetes emrVke;

    @BeforeAll
    static void start() {
        emrVke = EmrVkeOnRealKubernetes.start("emr-vke-restarts-on-real-k8s", tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (emrVke != null) {
            emrVke.close();
        }
    }

    @Test
    void aRestartWithANewWorkerMemoryReplacesEveryPodAndStopStartTakesThemAwayAndBack() {
        String clusterId = emrVke.createCluster("real-restart", "default", "Ray");
        String namespace = emrVke.namespaceOf(clusterId);
        String rayCluster = EmrVkeOnRealKubernetes.rayClusterOf(clusterId);
        List<String> before = uids(emrVke.rayPods(namespace, rayCluster));
        assertThat(before).hasSize(3);

        emrVke.assertSucceeded("restart", runAction(clusterId, "restart", List.of(Map.of("Key", "applicationConfigs",
                "Value", "[{\"configFileName\":\"ray-cluster-values.yaml\",\"configItemKey\":\"worker_memory\","
                        + "\"configItemValue\":\"" + NEW_WORKER_MEMORY + "\"}]"))));
        assertThat(workerMemoryLimit(emrVke.rayCluster(namespace, rayCluster).getAdditionalProperties()))
                .as("worker memory in the RayCluster's spec").isEqualTo(NEW_WORKER_MEMORY);
        List<Pod> restarted = emrVke.rayPods(namespace, rayCluster);
        assertThat(restarted).hasSize(3).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        assertThat(uids(restarted)).as("pods after the restart").doesNotContainAnyElementsOf(before);
        assertThat(restarted).filteredOn(p -> "worker".equals(p.getMetadata().getLabels().get("ray.io/node-type")))
                .hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getResources().getLimits()
                        .get("memory").toString()).isEqualTo(NEW_WORKER_MEMORY));

        emrVke.assertSucceeded("stop", runAction(clusterId, "stop", List.of()));
        EmrVkeOnRealKubernetes.eventually("the RayCluster's pods are gone", 60,
                () -> emrVke.rayPods(namespace, rayCluster).isEmpty());
        emrVke.assertSucceeded("start", runAction(clusterId, "start", List.of()));
        assertThat(emrVke.rayPods(namespace, rayCluster)).hasSize(3)
                .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }

    private static JsonNode runAction(String clusterId, String action, List<Map<String, String>> params) {
        return emrVke.sdk.call("RunApplicationAction", Map.of("ClusterId", clusterId, "ActionName", action,
                "ActionScope", "COMPONENT", "Components", List.of(Map.of("ApplicationName", "Ray",
                        "ComponentNames", List.of("RayCluster"))), "ActionParams", params));
    }

    private static List<String> uids(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getUid()).toList();
    }

    /** spec.workerGroupSpecs[0].template.spec.containers[0].resources.limits.memory of a RayCluster. */
    private static String workerMemoryLimit(Map<String, Object> rayCluster) {
        JsonNode ray = Json.plain().valueToTree(rayCluster);
        return ray.path("spec").path("workerGroupSpecs").path(0).path("template").path("spec").path("containers")
                .path(0).path("resources").path("limits").path("memory").asText();
    }
}
