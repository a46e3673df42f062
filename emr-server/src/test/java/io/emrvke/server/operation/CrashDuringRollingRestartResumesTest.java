package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.operation.SandboxRayRestarts.StepRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A serve process is SIGKILLed in the middle of a rolling restart of four RayCluster instances
 * (batchSize=1): the first instance is rolled, the second has been patched and its new pods are
 * coming up, the last two are untouched. A restart on the same data directory finishes the
 * operation, and every targeted instance was rolled exactly once by it: the one done before the
 * kill and the one patched before the kill keep the pods they had at the kill (not patched
 * again: their workload still carries the token recorded in their step), the other two roll after
 * the restart, and the pods of the RayCluster the action does not name never change.
 */
class CrashDuringRollingRestartResumesTest {
    private static final List<String> TARGETS = List.of("ray-a", "ray-b", "ray-c", "ray-d");

    @RegisterExtension
    final SandboxRayRestarts rig = new SandboxRayRestarts();

    @Test
    void restartAfterAKillMidBatchTwoRollsEveryTargetExactlyOnce() {
        ServerProcess first = rig.startServer("first");
        EmrClient client = first.client();
        String clusterId = rig.rayClusterWith(client, "roll-crash", TARGETS);
        rig.phase("started " + first + ", cluster " + clusterId + " running");
        String bystander = SandboxRayRestarts.ownRayCluster(clusterId);
        Map<String, List<String>> before = rig.podUidsOf(clusterId, rig.instanceNames(clusterId));
        assertThat(before).containsKeys(bystander).containsKeys(TARGETS.toArray(String[]::new));
        rig.phase("cluster with " + before.size() + " instances ready: " + before.keySet());

        String operationId = SandboxRayRestarts.restart(client, clusterId, TARGETS, Map.of("batchSize", "1"));
        String[] order = awaitSecondBatchPatched(client, clusterId, operationId, before);
        String done = order[0];
        String patched = order[1];
        rig.phase("killing " + first + " while " + patched + " comes back up (" + done + " done)");
        first.kill();
        long killedAt = System.currentTimeMillis();
        Map<String, List<String>> atKill = rig.podUidsOf(clusterId, List.copyOf(before.keySet()));
        List<StepRow> stepsAtKill = rig.steps(operationId);

        ServerProcess second = rig.startServer("second");
        rig.phase("started " + second);
        JsonNode op = SandboxRayRestarts.awaitEnd(second.client(), operationId);
        rig.phase("operation ended " + op.path("OperationState").asText());
        // the embedded store serves no other process: read it once its server stopped
        assertThat(second.terminate(30)).as("exit code after SIGTERM").isEqualTo(128 + 15);
        List<StepRow> stepsAtEnd = rig.steps(operationId);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("Progress").path("Succeeded").asInt()).isEqualTo(TARGETS.size());
        assertThat(stepsAtEnd).extracting(StepRow::releaseName).containsExactlyInAnyOrderElementsOf(TARGETS);
        for (StepRow step : stepsAtEnd) {
            String name = step.releaseName();
            StepRow atKillStep = SandboxRayRestarts.step(stepsAtKill, name);
            assertThat(step.restartToken()).as(name + " token").isNotNull();
            assertThat(rig.workloadToken(clusterId, name)).as(name + ": the workload carries its step's token")
                    .isEqualTo(step.restartToken());
            List<String> now = rig.podUids(clusterId, name);
            assertThat(now).as(name + " pods rolled").hasSameSizeAs(before.get(name))
                    .doesNotContainAnyElementsOf(before.get(name));
            if (name.equals(done) || name.equals(patched)) {
                // rolled before the kill: not rolled again after it
                assertThat(atKillStep.restartToken()).as(name + " token recorded before the kill")
                        .isEqualTo(step.restartToken());
                assertThat(now).as(name + " pods are those it had at the kill").isEqualTo(atKill.get(name));
            } else {
                // not reached before the kill: rolled once, after it
                assertThat(atKillStep.restartToken()).as(name + " had no token at the kill").isNull();
                assertThat(atKill.get(name)).as(name + " untouched at the kill").isEqualTo(before.get(name));
                assertThat(step.attempt()).as(name + " attempts").isEqualTo(1);
                assertThat(step.startTime()).as(name + " started after the kill").isGreaterThanOrEqualTo(killedAt);
                assertThat(rig.podsCreatedAfter(clusterId, name, step.startTime() - 1000)).as(name + " pods").isTrue();
            }
        }
        assertThat(SandboxRayRestarts.step(stepsAtEnd, done).attempt())
                .as(done + " finished before the kill: one attempt").isEqualTo(1);
        // every other instance (the one not named, the KubeRay operator) kept its pods
        for (String name : before.keySet()) {
            if (!TARGETS.contains(name)) {
                assertThat(rig.podUids(clusterId, name)).as(name + " is outside the action").isEqualTo(before.get(name));
            }
        }
        assertThat(rig.workloadToken(clusterId, bystander)).as(bystander + " never restarted").isNull();
    }

    /**
     * Waits until the first step succeeded and the second runs with its instance's pods all
     * replaced (patched, new pods not yet counted ready by the step); returns their release names.
     */
    private String[] awaitSecondBatchPatched(EmrClient client, String clusterId, String operationId,
                                             Map<String, List<String>> before) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode op = SandboxRayRestarts.getOperation(client, operationId);
            JsonNode steps = op.path("Steps");
            if (steps.size() == TARGETS.size() && "SUCCESS".equals(steps.get(0).path("StepState").asText())
                    && "RUNNING".equals(steps.get(1).path("StepState").asText())
                    && "ACCEPT".equals(steps.get(2).path("StepState").asText())) {
                String second = steps.get(1).path("ReleaseName").asText();
                List<String> pods = rig.podUids(clusterId, second);
                if (pods.size() == before.get(second).size() && pods.stream().noneMatch(before.get(second)::contains)) {
                    return new String[] {steps.get(0).path("ReleaseName").asText(), second};
                }
            }
            if (SandboxRayRestarts.TERMINAL.contains(op.path("OperationState").asText())
                    || System.currentTimeMillis() > deadline) {
                throw new AssertionError("never caught the second batch mid-restart: " + op);
            }
            ServerProcess.sleep(25);
        }
    }
}
