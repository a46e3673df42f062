package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CancelOperation during a rolling restart of three RayCluster instances on a real API server
 * (batchSize=1, 30 s between batches): cancelled after the first instance was rolled, the operation ends
 * CANCEL well before the next batch was due, the first instance's pods were replaced by KubeRay and the
 * two later instances keep the pods (UIDs) they had.
 */
@Tag("realk8s")
class CancelMidRestartOnARealApiServerTest {
    private static final int BATCH_INTERVAL_SECONDS = 30;

    @TempDir
    static Path tmp;
    private static EmrVkeOnRealKubernetes emrVke;

    @BeforeAll
    static void start() {
        emrVke = EmrVkeOnRealKubernetes.start("emr-vke-cancels-on-real-k8s", tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (emrVke != null) {
            emrVke.close();
        }
    }

    @Test
    void aRestartCancelledAfterItsFirstBatchEndsCancelAndLeavesTheLaterInstancesPodsAlone() {
        String clusterId = emrVke.createCluster("real-cancel", EmrVkeOnRealKubernetes.EVERY_POOL, "Ray");
        String namespace = emrVke.namespaceOf(clusterId);
        emrVke.addRayCluster(clusterId, "ray-b");
        emrVke.addRayCluster(clusterId, "ray-c");
        // steps run in the order of the release names: ray-b, ray-c, then the cluster's own raycluster-<id>
        String own = EmrVkeOnRealKubernetes.rayClusterOf(clusterId);
        Map<String, List<String>> before = emrVke.rayPodUidsOf(namespace, List.of("ray-b", "ray-c", own));

        String operationId = emrVke.runRayClusterAction(clusterId, "restart", Map.of("releaseName",
                own + ",ray-b,ray-c", "batchSize", "1", "batchIntervalSeconds",
                String.valueOf(BATCH_INTERVAL_SECONDS))).path("OperationId").asText();
        emrVke.awaitStep(operationId, 0, "SUCCESS", 120);
        emrVke.sdk.call("CancelOperation", Map.of("OperationId", operationId));
        JsonNode op = emrVke.sdk.awaitOperation(operationId, 60);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("CANCEL");
        assertThat(op.path("Steps")).extracting(s -> s.path("ReleaseName").asText() + " "
                + s.path("StepState").asText()).containsExactly("ray-b SUCCESS", "ray-c CANCEL", own + " CANCEL");
        assertThat(op.path("EndTime").asLong() - op.path("StartTime").asLong())
                .as("ended before the second batch was due").isLessThan(BATCH_INTERVAL_SECONDS * 1000L);
        assertThat(emrVke.rayPodUids(namespace, "ray-b")).as("pods of ray-b").hasSize(3)
                .doesNotContainAnyElementsOf(before.get("ray-b"));
        for (String notReached : List.of("ray-c", own)) {
            assertThat(emrVke.rayPodUids(namespace, notReached)).as("pods of " + notReached)
                    .isEqualTo(before.get(notReached));
        }

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }
}
