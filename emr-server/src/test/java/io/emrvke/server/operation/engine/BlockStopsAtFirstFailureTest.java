package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class BlockStopsAtFirstFailureTest {

    @StoreTest
    void theStepsAfterTheFirstFailureAreNotRunAndEndCancel(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", ctx -> "r-2".equals(ctx.step().releaseName())
                    ? StepResult.failed("pods not ready") : StepResult.success());
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart",
                            "r-1", "r-2", "r-3", "r-4")
                    .options(new ExecutionOptions(FailureStrategy.BLOCK, 0, 10_000)).build()).operationId();

            OperationDetail d = f.awaitEnd(op);

            assertThat(d.operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(restart.releases()).containsExactly("r-1", "r-2");
            assertThat(d.steps()).extracting(StepRow::state)
                    .containsExactly(StepState.SUCCESS, StepState.FAILED, StepState.CANCEL, StepState.CANCEL);
            assertThat(d.steps().get(2).message()).contains("earlier step failed").contains("BLOCK");
            assertThat(d.steps().get(2).startTime()).as("never started").isNull();
            assertThat(d.operation().stateChangeReason()).startsWith("restart of r-2 failed: pods not ready")
                    .contains("2 step(s) not run");
            assertThat(f.heldTargets(cluster)).isEmpty();
        }
    }
}
