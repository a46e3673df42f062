package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.operation.SandboxRayRestarts.StepRow;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A serve process is SIGKILLed during a rolling restart of three RayClusters in batches of one, 4 s
 * apart: once in the pause between the first and the second batch, once in the middle of the second
 * batch's step. A new process on the same data dir finishes the operation SUCCESS and each instance
 * was rolled exactly once: watched from the kill to the end, the pods of each carry one restart token
 * only, the instance rolled before the kill keeps the pods it had, and a step cut in the middle goes on
 * with the token it had recorded. The kill comes right after the step's last write (its end, its token)
 * in a store that reuses freed space, where H2 2.5.252 lost a process's last commit on SIGKILL.
 */
class KillBetweenRestartBatchesRollsEachInstanceOnceTest {
    private static final List<String> TARGETS = List.of("ray-a", "ray-b", "ray-c");
    private static final Map<String, String> BATCHES = Map.of("batchSize", "1", "batchIntervalSeconds", "4");

    @RegisterExtension
    final SandboxRayRestarts rig = new SandboxRayRestarts();

    @Test
    void killInThePauseBetweenBatchesLeavesTheRolledInstanceAloneAndRollsTheOthersOnce() {
        Killed k = killWhen("the pause after batch 1", (clusterId, steps) -> state(steps, 0).equals("SUCCESS")
                && state(steps, 1).equals("ACCEPT"));
        String done = TARGETS.get(0);

        assertEndedSuccessRollingEachOnce(k);
        assertThat(SandboxRayRestarts.step(k.stepsAtEnd, done).attempt()).as(done + " attempts").isEqualTo(1);
        assertThat(SandboxRayRestarts.step(k.stepsAtKill, done).state()).as(done + "'s end, committed before the kill")
                .isEqualTo("SUCCESS");
        assertThat(SandboxRayRestarts.step(k.stepsAtKill, "ray-b").restartToken()).as("ray-b not reached").isNull();
        for (String name : TARGETS.subList(1, TARGETS.size())) {
            StepRow step = SandboxRayRestarts.step(k.stepsAtEnd, name);
            assertThat(k.atKill.get(name)).as(name + " untouched at the kill").isEqualTo(k.before.get(name));
            assertThat(step.attempt()).as(name + " attempts").isEqualTo(1);
            assertThat(step.startTime()).as(name + " started after the kill").isGreaterThanOrEqualTo(k.killedAt);
        }
    }

    @Test
    void killInTheMiddleOfTheSecondBatchGoesOnWithTheTokenItRecorded() {
        // the step recorded its token and patched the RayCluster with it: its pods are being replaced
        Killed k = killWhen("the middle of batch 2", (clusterId, steps) -> state(steps, 0).equals("SUCCESS")
                && state(steps, 1).equals("RUNNING")
                && rig.workloadToken(clusterId, steps.path(1).path("ReleaseName").asText()) != null);
        String cut = TARGETS.get(1);

        assertEndedSuccessRollingEachOnce(k);
        assertThat(SandboxRayRestarts.step(k.stepsAtKill, cut).restartToken()).as(cut + " token at the kill")
                .isNotNull().isEqualTo(SandboxRayRestarts.step(k.stepsAtEnd, cut).restartToken());
        assertThat(SandboxRayRestarts.step(k.stepsAtEnd, TARGETS.get(2)).attempt()).as("ray-c attempts")
                .isEqualTo(1);
    }

    // --- the run: start, restart, kill when asked, finish on a second process ---------------------

    private record Killed(String clusterId, JsonNode op, long killedAt, Map<String, List<String>> before,
                          Map<String, List<String>> atKill, List<StepRow> stepsAtKill, List<StepRow> stepsAtEnd,
                          Map<String, Set<String>> tokensSeen) {
    }

    private Killed killWhen(String moment, BiPredicate<String, JsonNode> stepsReady) {
        ServerProcess first = rig.startServer("first");
        EmrClient client = first.client();
        String clusterId = rig.rayClusterWith(client, "roll-kill", TARGETS);
        List<String> instances = rig.instanceNames(clusterId);
        Map<String, List<String>> before = rig.podUidsOf(clusterId, instances);
        assertThat(instances).containsAll(TARGETS).contains(SandboxRayRestarts.ownRayCluster(clusterId));

        first.awaitStoreReusingSpace();
        String operationId = SandboxRayRestarts.restart(client, clusterId, TARGETS, BATCHES);
        awaitSteps(client, operationId, moment, steps -> stepsReady.test(clusterId, steps));
        rig.phase("killing " + first + " in " + moment);
        first.kill();
        long killedAt = System.currentTimeMillis();
        Map<String, List<String>> atKill = rig.podUidsOf(clusterId, instances);
        List<StepRow> stepsAtKill = rig.steps(operationId);
        TokenWatch watch = new TokenWatch(clusterId);
        watch.start();

        ServerProcess second = rig.startServer("second");
        JsonNode op = SandboxRayRestarts.awaitEnd(second.client(), operationId);
        watch.finish();
        rig.phase("operation ended " + op.path("OperationState").asText());
        // the embedded store serves no other process: read it once its server stopped
        assertThat(second.terminate(30)).as("exit code after SIGTERM").isEqualTo(128 + 15);
        return new Killed(clusterId, op, killedAt, before, atKill, stepsAtKill, rig.steps(operationId), watch.seen);
    }

    private void awaitSteps(EmrClient client, String operationId, String moment, Predicate<JsonNode> ready) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode op = SandboxRayRestarts.getOperation(client, operationId);
            if (op.path("Steps").size() == TARGETS.size() && ready.test(op.path("Steps"))) {
                return;
            }
            if (SandboxRayRestarts.TERMINAL.contains(op.path("OperationState").asText())
                    || System.currentTimeMillis() > deadline) {
                throw new AssertionError("never caught " + moment + ": " + op);
            }
            ServerProcess.sleep(25);
        }
    }

    private static String state(JsonNode steps, int index) {
        return steps.path(index).path("StepState").asText();
    }

    /** What holds whichever moment the kill came at. */
    private void assertEndedSuccessRollingEachOnce(Killed k) {
        assertThat(k.op.path("OperationState").asText()).as(k.op.toString()).isEqualTo("SUCCESS");
        assertThat(k.stepsAtEnd).extracting(s -> s.releaseName() + " " + s.state())
                .containsExactly("ray-a SUCCESS", "ray-b SUCCESS", "ray-c SUCCESS");
        String done = TARGETS.get(0);
        assertThat(rig.podUids(k.clusterId, done)).as(done + ", rolled before the kill, keeps its pods")
                .isEqualTo(k.atKill.get(done));
        assertThat(SandboxRayRestarts.step(k.stepsAtEnd, done).restartToken()).as(done + " token")
                .isEqualTo(SandboxRayRestarts.step(k.stepsAtKill, done).restartToken());
        for (String name : TARGETS) {
            String token = SandboxRayRestarts.step(k.stepsAtEnd, name).restartToken();
            assertThat(token).as(name + " token").isNotNull();
            assertThat(k.tokensSeen.get(name)).as("restart tokens on the pods of " + name + " from the kill to the end")
                    .containsExactly(token);
            assertThat(rig.workloadToken(k.clusterId, name)).as(name + ": the workload carries its step's token")
                    .isEqualTo(token);
            assertThat(rig.podUids(k.clusterId, name)).as(name + " pods rolled").hasSameSizeAs(k.before.get(name))
                    .doesNotContainAnyElementsOf(k.before.get(name));
        }
        String own = SandboxRayRestarts.ownRayCluster(k.clusterId);
        assertThat(rig.podUids(k.clusterId, own)).as(own + " is outside the action").isEqualTo(k.before.get(own));
    }

    /** Notes, every 50 ms until finished, the restart tokens the pods of each target carry. */
    private final class TokenWatch extends Thread {
        final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        private final String clusterId;
        private volatile boolean done;

        TokenWatch(String clusterId) {
            super("token-watch");
            this.clusterId = clusterId;
            setDaemon(true);
            TARGETS.forEach(name -> seen.put(name, java.util.Collections.synchronizedSet(new LinkedHashSet<>())));
        }

        @Override
        public void run() {
            while (!done) {
                look();
                ServerProcess.sleep(50);
            }
        }

        private void look() {
            for (String name : TARGETS) {
                // a pod never restarted has no token: only rolled pods count
                rig.pods(clusterId, name).stream().map(SandboxRayRestarts::podToken).filter(t -> t != null)
                        .forEach(seen.get(name)::add);
            }
        }

        void finish() {
            done = true;
            try {
                join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            look();
        }
    }
}
