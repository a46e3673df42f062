package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class ContinueCarriesOnTest {

    @StoreTest
    void everyStepRunsAfterAFailureAndTheOperationStillEndsFailed(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", ctx -> switch (ctx.step().releaseName()) {
                case "r-2" -> StepResult.failed("pods not ready");
                case "r-3" -> throw new IllegalStateException("kubernetes said no");
                default -> StepResult.success();
            });
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart",
                            "r-1", "r-2", "r-3", "r-4")
                    .options(new ExecutionOptions(FailureStrategy.CONTINUE, 0, 10_000)).build()).operationId();

            OperationDetail d = f.awaitEnd(op);

            assertThat(restart.releases()).containsExactly("r-1", "r-2", "r-3", "r-4");
            assertThat(d.steps()).extracting(StepRow::state)
                    .containsExactly(StepState.SUCCESS, StepState.FAILED, StepState.FAILED, StepState.SUCCESS);
            assertThat(d.operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(d.operation().stateChangeReason())
                    .isEqualTo("restart of r-2 failed: pods not ready; restart of r-3 failed: kubernetes said no");
            assertThat(d.steps().get(2).message()).isEqualTo("kubernetes said no");
        }
    }
}
