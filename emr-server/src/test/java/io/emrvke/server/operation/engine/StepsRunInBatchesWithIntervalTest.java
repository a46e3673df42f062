package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class StepsRunInBatchesWithIntervalTest {
    private static final long INTERVAL = 400;

    @StoreTest
    void stepsOfABatchRunTogetherAndBatchesFollowEachOtherAfterTheInterval(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            // Both steps of batch 0 must be inside the executor at once to get past the latch.
            CountDownLatch bothStarted = new CountDownLatch(2);
            RecordingExecutor restart = new RecordingExecutor("A", ctx -> {
                if (ctx.step().batchIndex() == 0) {
                    bothStarted.countDown();
                    if (!bothStarted.await(10, TimeUnit.SECONDS)) {
                        return StepResult.failed("the other step of my batch never started");
                    }
                }
                Thread.sleep(50);
                return StepResult.success();
            });
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            OperationSubmitter submitter = new OperationSubmitter(f.db, engine);
            String op = submitter.submit(OperationPlan.builder(EngineFixture.ACCOUNT, EngineFixture.USER, cluster,
                            io.emrvke.server.operation.OperationName.RUN_APPLICATION_ACTION)
                    .targets(Targets.instances(Set.of("r-0", "r-1", "r-2", "r-3")))
                    .step(new PlannedStep(0, "Ray", "RayCluster", "r-0", "restart"))
                    .step(new PlannedStep(0, "Ray", "RayCluster", "r-1", "restart"))
                    .step(new PlannedStep(1, "Ray", "RayCluster", "r-2", "restart"))
                    .step(new PlannedStep(1, "Ray", "RayCluster", "r-3", "restart"))
                    .options(new ExecutionOptions(FailureStrategy.BLOCK, INTERVAL, 10_000))
                    .build()).operationId();

            OperationDetail d = f.awaitEnd(op);

            assertThat(d.operation().state()).isEqualTo(OperationState.SUCCESS);
            assertThat(d.operation().stateChangeReason()).isNull();
            assertThat(d.operation().startTime()).isNotNull();
            assertThat(d.operation().endTime()).isGreaterThanOrEqualTo(d.operation().startTime());
            assertThat(d.steps()).extracting(StepRow::state).containsOnly(StepState.SUCCESS);
            long batch0End = Math.max(d.steps().get(0).endTime(), d.steps().get(1).endTime());
            long batch1Start = Math.min(d.steps().get(2).startTime(), d.steps().get(3).startTime());
            assertThat(batch1Start - batch0End).as("pause between batches").isGreaterThanOrEqualTo(INTERVAL);
            assertThat(d.steps()).allSatisfy(s -> assertThat(s.endTime()).isGreaterThanOrEqualTo(s.startTime()));
            assertThat(restart.releases()).hasSize(4);
            assertThat(restart.invocations.subList(2, 4)).extracting(RecordingExecutor.Invocation::release)
                    .containsExactlyInAnyOrder("r-2", "r-3");
            assertThat(f.heldTargets(cluster)).as("targets released at the end").isEmpty();
        }
    }
}
