package io.emrvke.server.realk8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart on a real API server with the real KubeRay operator: three RayCluster instances
 * (the cluster's own and two made by CreateComponentInstance) restarted with batchSize=2 run as two
 * waves (two steps, then one), the second starting after the first ended, and KubeRay replaces every pod
 * of every instance; the public documentation's form, one {@code releaseName}, replaces only that instance's pods.
 */
@Tag("realk8s")
class RollingRestartInBatchesOnARealApiServerTest {
    private static final List<String> ADDED = List.of("ray-2", "ray-3");

    @TempDir
    static Path tmp;
    private static EmrVkeOnRealKubernetes emrVke;

    @BeforeAll
    static void start() {
        emrVke = EmrVkeOnRealKubernetes.start("emr-vke-rolls-in-batches-on-real-k8s", tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (emrVke != null) {
            emrVke.close();
        }
    }

    @Test
    void batchesOfTwoRollEveryPodOfThreeInstancesInTwoWavesAndOneReleaseNameRollsOnlyItsOwn() {
        String clusterId = emrVke.createCluster("real-batches", EmrVkeOnRealKubernetes.EVERY_POOL, "Ray");
        String namespace = emrVke.namespaceOf(clusterId);
        List<String> instances = new ArrayList<>(List.of(EmrVkeOnRealKubernetes.rayClusterOf(clusterId)));
        ADDED.forEach(name -> emrVke.addRayCluster(clusterId, name));
        instances.addAll(ADDED);
        Map<String, List<String>> before = emrVke.rayPodUidsOf(namespace, instances);

        JsonNode op = emrVke.assertSucceeded("rolling restart", emrVke.runRayClusterAction(clusterId, "restart",
                Map.of("releaseName", String.join(",", instances), "batchSize", "2")));

        assertThat(op.path("Steps")).as("steps of " + op).hasSize(3)
                .allSatisfy(s -> assertThat(s.path("StepState").asText()).isEqualTo("SUCCESS"));
        secondWaveStartsAfterTheFirstEnded(op.path("Steps"));
        Map<String, List<String>> after = emrVke.rayPodUidsOf(namespace, instances);
        for (String name : instances) {
            assertThat(after.get(name)).as("pods of " + name + " after the restart").hasSize(3)
                    .doesNotContainAnyElementsOf(before.get(name));
        }

        emrVke.assertSucceeded("restart of ray-3", emrVke.runRayClusterAction(clusterId, "restart",
                Map.of("releaseName", "ray-3")));
        Map<String, List<String>> afterOne = emrVke.rayPodUidsOf(namespace, instances);
        for (String name : instances) {
            if (name.equals("ray-3")) {
                assertThat(afterOne.get(name)).as("pods of ray-3").hasSize(3)
                        .doesNotContainAnyElementsOf(after.get(name));
            } else {
                assertThat(afterOne.get(name)).as("pods of " + name + ", not named").isEqualTo(after.get(name));
            }
        }

        emrVke.deleteCluster(clusterId);
        emrVke.assertNeverForbidden();
    }

    /** Steps 0-1 are the first wave, step 2 the second: wave 1's steps overlap, wave 2 starts after it ended. */
    private static void secondWaveStartsAfterTheFirstEnded(JsonNode steps) {
        long firstWaveEnd = Math.max(endOf(steps, 0), endOf(steps, 1));
        assertThat(Math.max(startOf(steps, 0), startOf(steps, 1))).as("both steps of wave 1 started before either "
                + "ended: " + steps).isLessThanOrEqualTo(Math.min(endOf(steps, 0), endOf(steps, 1)));
        assertThat(startOf(steps, 2)).as("start of wave 2 vs end of wave 1: " + steps)
                .isGreaterThanOrEqualTo(firstWaveEnd);
    }

    private static long startOf(JsonNode steps, int index) {
        return steps.get(index).path("StartTime").asLong();
    }

    private static long endOf(JsonNode steps, int index) {
        return steps.get(index).path("EndTime").asLong();
    }
}
