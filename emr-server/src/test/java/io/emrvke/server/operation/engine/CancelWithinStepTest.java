package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.api.CancelOperationAction;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Duration;

class CancelWithinStepTest {

    @StoreTest
    void aRunningStepStopsAtItsNextSafePointAndTheOperationEndsCancel(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", RecordingExecutor::untilCancelled);
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart",
                    "r-1", "r-2").build()).operationId();
            f.await(op, d -> d.steps().get(0).state() == StepState.RUNNING, Duration.ofSeconds(20));

            CancelBetweenStepsTest.cancel(new CancelOperationAction(engine), EngineFixture.ACCOUNT, op);

            OperationDetail d = f.awaitEnd(op);
            assertThat(d.operation().state()).isEqualTo(OperationState.CANCEL);
            assertThat(d.steps()).extracting(StepRow::state).containsExactly(StepState.CANCEL, StepState.CANCEL);
            assertThat(d.steps().get(0).message()).isEqualTo("stopped at a safe point");
            assertThat(d.steps().get(0).endTime()).isNotNull();
            assertThat(restart.releases()).containsExactly("r-1");
        }
    }

    @StoreTest
    void aCancelThroughAnotherReplicaReachesTheRunningStep(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", RecordingExecutor::untilCancelled);
            OperationEngine runner = f.engine(b -> b.executor("restart", restart));
            runner.start();
            String op = new OperationSubmitter(f.db, runner).submit(EngineFixture.plan(cluster, "restart", "r-1")
                    .build()).operationId();
            f.await(op, d -> d.steps().get(0).state() == StepState.RUNNING, Duration.ofSeconds(20));

            // Another server process on the same store answers the CancelOperation request.
            Database otherProcess = f.store.open();
            OperationEngine replica = OperationEngine.builder(otherProcess)
                    .config(EngineConfig.withLease(EngineFixture.LEASE)).build();
            CancelBetweenStepsTest.cancel(new CancelOperationAction(replica), EngineFixture.ACCOUNT, op);

            OperationDetail d = f.awaitEnd(op);
            assertThat(d.operation().state()).isEqualTo(OperationState.CANCEL);
            assertThat(d.steps().get(0).state()).isEqualTo(StepState.CANCEL);
        }
    }
}
