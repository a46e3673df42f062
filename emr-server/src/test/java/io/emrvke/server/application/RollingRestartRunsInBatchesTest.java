package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Six RayCluster instances restarted in batches: batchSize=2 with batchIntervalSeconds=1 runs
 * three waves at least a second apart, batchSize=6 one wave; Progress and Steps in GetOperation
 * move while the work advances.
 */
@StartedPlanes.Shared
class RollingRestartRunsInBatchesTest {
    private static ActionPlane plane;
    private static String clusterId;
    private static String allSix;

    @BeforeAll
    static void start() {
        clusterId = plane.runningCluster("batches", "Ray");
        List<String> names = new ArrayList<>(List.of("raycluster-" + ActionPlane.suffix(clusterId)));
        for (int i = 2; i <= 6; i++) {
            plane.addRayCluster(clusterId, "ray-" + i);
            names.add("ray-" + i);
        }
        allSix = String.join(",", names);
    }

    private static Map<String, Object> restart(int batchSize, int intervalSeconds) {
        return action(clusterId, "restart", "COMPONENT", "Ray", List.of("RayCluster"), Map.of("releaseName", allSix,
                "batchSize", String.valueOf(batchSize), "batchIntervalSeconds", String.valueOf(intervalSeconds)));
    }

    private static List<long[]> startsAndEnds(JsonNode op) {
        List<long[]> out = new ArrayList<>();
        op.path("Steps").forEach(s -> out.add(new long[] {s.path("StartTime").asLong(), s.path("EndTime").asLong()}));
        return out;
    }

    @Test
    void batchesOfTwoRunInThreeWavesAtLeastTheIntervalApartAndProgressMoves() {
        Map<String, List<String>> before = new java.util.HashMap<>();
        for (String name : allSix.split(",")) {
            before.put(name, plane.podUids(clusterId, name));
        }
        String operationId = plane.call("RunApplicationAction", restart(2, 1)).path("OperationId").asText();
        List<Integer> succeededSeen = new ArrayList<>();
        JsonNode op;
        do {
            op = plane.operation(operationId);
            succeededSeen.add(op.path("Progress").path("Succeeded").asInt());
            ActionPlane.sleep(100);
        } while (!op.path("EndTime").isNumber());
        op = plane.operation(operationId);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("Progress").path("Total").asInt()).isEqualTo(6);
        assertThat(succeededSeen).as("progress observed while running").contains(2, 4);
        List<long[]> steps = startsAndEnds(op);
        for (int wave = 0; wave < 3; wave++) {
            long[] a = steps.get(2 * wave);
            long[] b = steps.get(2 * wave + 1);
            assertThat(Math.abs(a[0] - b[0])).as("two steps of wave %d start together", wave).isLessThan(500);
            if (wave > 0) {
                long previousEnd = Math.max(steps.get(2 * wave - 1)[1], steps.get(2 * wave - 2)[1]);
                assertThat(Math.min(a[0], b[0]) - previousEnd).as("wave %d waits the interval", wave)
                        .isGreaterThanOrEqualTo(1000);
            }
        }
        for (String name : allSix.split(",")) {
            assertThat(plane.podUids(clusterId, name)).as(name).hasSize(3).doesNotContainAnyElementsOf(before.get(name));
        }
    }

    @Test
    void aBatchOfSixRestartsEveryInstanceInOneWave() {
        JsonNode op = plane.runAndAwait(restart(6, 5));

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        List<long[]> steps = startsAndEnds(op);
        long lastStart = steps.stream().mapToLong(s -> s[0]).max().orElseThrow();
        long firstEnd = steps.stream().mapToLong(s -> s[1]).min().orElseThrow();
        assertThat(lastStart).as("every step started before any ended").isLessThanOrEqualTo(firstEnd);
        assertThat(op.path("EndTime").asLong() - op.path("StartTime").asLong())
                .as("one wave: the 5 s interval never applies").isLessThan(5000);
    }
}
