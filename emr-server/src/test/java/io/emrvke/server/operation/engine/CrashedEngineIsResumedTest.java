package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Duration;
import java.util.List;

class CrashedEngineIsResumedTest {

    @StoreTest
    void anotherProcessTakesOverAfterTheLeaseExpiresAndRunsEachStepOnceAtATime(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            // Engine A acts on r-2 (recording its token first), then is cut off mid-step.
            RecordingExecutor onA = new RecordingExecutor("A", ctx -> {
                if (ctx.step().releaseName().equals("r-2")) {
                    ctx.recordToken("restartedAt-by-A");
                    return RecordingExecutor.untilCancelled(ctx);
                }
                return StepResult.success();
            });
            RecordingExecutor onB = new RecordingExecutor("B", ctx -> {
                Thread.sleep(30);
                return StepResult.success();
            }, onA);
            OperationEngine a = f.engine(b -> b.executor("restart", onA));
            a.start();
            String op = new OperationSubmitter(f.db, a).submit(EngineFixture.plan(cluster, "restart",
                    "r-1", "r-2", "r-3").build()).operationId();
            f.await(op, d -> "restartedAt-by-A".equals(d.steps().get(1).restartToken()), Duration.ofSeconds(20));

            a.simulateCrash();
            long crashedAt = System.currentTimeMillis();
            Database otherProcess = f.store.open();
            OperationEngine b = OperationEngine.builder(otherProcess)
                    .config(EngineConfig.withLease(EngineFixture.LEASE).withTakeoverScanInterval(Duration.ofMillis(300)))
                    .executor("restart", onB).build();
            b.start();
            OperationDetail d = f.awaitEnd(op);
            b.stop();

            assertThat(d.operation().state()).isEqualTo(OperationState.SUCCESS);
            assertThat(d.steps()).extracting(StepRow::state).containsOnly(StepState.SUCCESS);
            assertThat(onA.overlaps).as("no step ran twice at once").isEmpty();
            List<RecordingExecutor.Invocation> calls = onA.invocations;
            assertThat(calls).extracting(i -> i.engine() + ":" + i.release())
                    .containsExactly("A:r-1", "A:r-2", "B:r-2", "B:r-3");
            RecordingExecutor.Invocation resumed = calls.get(2);
            assertThat(resumed.tokenSeen()).as("the resumed step sees what A recorded").isEqualTo("restartedAt-by-A");
            assertThat(resumed.attempt()).isEqualTo(2);
            assertThat(resumed.start()).as("B waited for A's lease to expire")
                    .isGreaterThanOrEqualTo(crashedAt + EngineFixture.LEASE.toMillis() / 4);
            assertThat(d.steps().get(0).attempt()).as("a finished step is not re-run").isEqualTo(1);
            assertThat(f.heldTargets(cluster)).isEmpty();
        }
    }

    @StoreTest
    void aRestartedProcessResumesAnOperationThatNeverStarted(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            // Submitted while no engine runs (e.g. the server died right after answering).
            String op = new OperationSubmitter(f.db, new Idempotency(Idempotency.DEFAULT_RETENTION), () -> { })
                    .submit(EngineFixture.plan(cluster, "restart", "r-1").build()).operationId();
            RecordingExecutor exec = new RecordingExecutor("restarted", ctx -> StepResult.success());
            f.engine(b -> b.executor("restart", exec)).start();

            assertThat(f.awaitEnd(op).operation().state()).isEqualTo(OperationState.SUCCESS);
            assertThat(exec.releases()).containsExactly("r-1");
        }
    }
}
