package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.operation.ServerProcess;
import io.emrvke.server.runtime.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emr-vke process is SIGKILLed in the middle of a rolling restart of three RayCluster instances on a
 * real API server (batchSize=1, 10 s between batches), once the first instance was rolled: a new process on
 * the same data dir finishes the operation SUCCESS, and each instance was rolled exactly once. Watched from
 * the kill to the end, the pods of each instance carry one restart token only (kubectl.kubernetes.io/restartedAt,
 * which emr-vke puts on the pod templates); the first instance keeps the pods it had at the kill, the other
 * two get new ones, and the first one's step is as it was at the kill (its end survived the kill: the
 * new process does not run it again).
 */
@Tag("realk8s")
class KillDuringRestartOnARealApiServerTest {

    @TempDir
    static Path tmp;
    private static EmrVkeOnRealKubernetes emrVke;

    @BeforeAll
    static void start() {
        emrVke = EmrVkeOnRealKubernetes.start("emr-vke-killed-on-real-k8s", tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (emrVke != null) {
            emrVke.close();
        }
    }

    @Test
    void aRestartCutByAKillIsFinishedByTheNextProcessRollingEachInstanceExactlyOnce() {
        String clusterId = emrVke.createCluster("real-kill", EmrVkeOnRealKubernetes.EVERY_POOL, "Ray");
        String namespace = emrVke.namespaceOf(clusterId);
        emrVke.addRayCluster(clusterId, "ray-b");
        emrVke.addRayCluster(clusterId, "ray-c");
        // steps run in the order of the release names: ray-b, ray-c, then the cluster's own raycluster-<id>
        String own = EmrVkeOnRealKubernetes.rayClusterOf(clusterId);
        List<String> instances = List.of("ray-b", "ray-c", own);
        Map<String, List<String>> before = emrVke.rayPodUidsOf(namespace, instances);
        emrVke.awaitStoreReusingSpace();

        String operationId = emrVke.runRayClusterAction(clusterId, "restart", Map.of("releaseName",
                String.join(",", instances), "batchSize", "1", "batchIntervalSeconds", "10"))
                .path("OperationId").asText();
        emrVke.awaitStep(operationId, 0, "SUCCESS", 120);
        List<String> rayBAtKill = emrVke.rayPodUids(namespace, "ray-b");
        JsonNode rayBStepAtKill = emrVke.sdk.call("GetOperation", Map.of("OperationId", operationId)).path("Steps")
                .path(0);
        emrVke.killAndStartAgain();
        Map<String, Set<String>> tokensSeen = new LinkedHashMap<>();
        JsonNode op = awaitWatchingTokens(operationId, namespace, instances, tokensSeen);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("Steps")).extracting(s -> s.path("ReleaseName").asText() + " "
                + s.path("StepState").asText()).containsExactly("ray-b SUCCESS", "ray-c SUCCESS", own + " SUCCESS");
        assertThat(op.path("Steps").path(0)).as("ray-b's step, ended before the kill, was not run again")
                .isEqualTo(rayBStepAtKill);
        assertThat(emrVke.rayPodUids(namespace, "ray-b")).as("pods of ray-b, rolled before the kill")
                .isEqualTo(rayBAtKill);
        for (String name : List.of("ray-c", own)) {
            assertThat(emrVke.rayPodUids(namespace, name)).as("pods of " + name + ", rolled after the kill")
                    .hasSize(3).doesNotContainAnyElementsOf(before.get(name));
        }
        for (String name : instances) {
            assertThat(tokensSeen.get(name)).as("restart tokens on the pods of " + name + " from kill to end")
                    .hasSize(1);
        }

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }

    /** GetOperation until it ends, noting meanwhile (and at the end) the restart tokens each instance's pods carry. */
    private static JsonNode awaitWatchingTokens(String operationId, String namespace, List<String> instances,
                                                Map<String, Set<String>> tokensSeen) {
        long deadline = System.currentTimeMillis() + 300_000;
        while (true) {
            JsonNode op = emrVke.sdk.call("GetOperation", Map.of("OperationId", operationId));
            for (String name : instances) {
                // null while an instance has pods without a token (not yet rolled), so only rolled pods count
                emrVke.rayPods(namespace, name).stream().map(KillDuringRestartOnARealApiServerTest::restartToken)
                        .filter(t -> t != null).forEach(t -> tokensSeen.computeIfAbsent(name,
                                n -> new LinkedHashSet<>()).add(t));
            }
            if (op.path("EndTime").isNumber()) {
                return op;
            }
            assertThat(System.currentTimeMillis()).as("operation still running after 300 s: " + op)
                    .isLessThan(deadline);
            ServerProcess.sleep(200);
        }
    }

    private static String restartToken(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.RESTARTED_AT);
    }
}
