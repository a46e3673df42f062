package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.ConnectionException;

/**
 * A step whose store access fails because the store is down (here: H2's "database closed") did
 * not fail: the operation pauses and, once the store answers, runs that step again and succeeds.
 * A statement the store refuses is not an outage: that step still fails, rather than being retried
 * for ever.
 */
class StoreOutageUnderAStepPausesTheOperationInsteadOfFailingItTest {

    @StoreTest
    void theStepRunsAgainOnceTheStoreAnswersAndTheOperationSucceeds(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            AtomicInteger r2Calls = new AtomicInteger();
            RecordingExecutor exec = new RecordingExecutor("A", ctx -> {
                if (ctx.step().releaseName().equals("r-2") && r2Calls.incrementAndGet() == 1) {
                    throw new ConnectionException(new SQLException("The database has been closed", "90098", 90098));
                }
                return StepResult.success();
            });
            OperationDetail d = runToEnd(f, exec);

            assertThat(d.operation().state()).isEqualTo(OperationState.SUCCESS);
            assertThat(d.steps()).extracting(StepRow::state).containsOnly(StepState.SUCCESS);
            assertThat(exec.releases()).containsExactly("r-1", "r-2", "r-2", "r-3");
            assertThat(d.steps()).extracting(StepRow::attempt).containsExactly(1, 2, 1);
            assertThat(exec.overlaps).as("no step ran twice at once").isEmpty();
        }
    }

    @StoreTest
    void aStatementTheStoreRefusesStillFailsTheStep(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            RecordingExecutor exec = new RecordingExecutor("A", ctx -> {
                if (ctx.step().releaseName().equals("r-2")) {
                    throw new IllegalStateException("cannot record r-2",
                            new SQLException("duplicate key value violates unique constraint", "23505"));
                }
                return StepResult.success();
            });
            OperationDetail d = runToEnd(f, exec);

            assertThat(d.operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(d.steps().get(1).state()).isEqualTo(StepState.FAILED);
            assertThat(d.steps().get(1).message()).contains("cannot record r-2");
            assertThat(exec.releases()).as("r-2 tried once, not retried").containsExactly("r-1", "r-2");
        }
    }

    private static OperationDetail runToEnd(EngineFixture f, RecordingExecutor exec) {
        OperationEngine engine = f.engine(b -> b.executor("restart", exec));
        engine.start();
        String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(f.newCluster(), "restart",
                "r-1", "r-2", "r-3").build()).operationId();
        return f.awaitEnd(op);
    }
}
