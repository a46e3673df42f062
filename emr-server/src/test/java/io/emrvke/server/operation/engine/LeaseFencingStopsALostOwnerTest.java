package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class LeaseFencingStopsALostOwnerTest {

    private static void steal(EngineFixture f, String op, long expires) {
        f.db.jdbi().useHandle(h -> h.createUpdate("UPDATE operations SET lease_owner = 'thief',"
                + " lease_expires = :e WHERE operation_id = :id").bind("e", expires).bind("id", op).execute());
    }

    private static void awaitNotRunning(OperationEngine engine, String op) {
        long until = System.currentTimeMillis() + 20_000;
        while (engine.runningOperations().contains(op) && System.currentTimeMillis() < until) {
            EngineFixture.sleep(20);
        }
        assertThat(engine.runningOperations()).doesNotContain(op);
    }

    @StoreTest
    void aStepResultIsNotRecordedOnceAnotherOwnerHoldsTheLease(StoreBackend backend) throws Exception {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            CountDownLatch finish = new CountDownLatch(1);
            RecordingExecutor exec = new RecordingExecutor("A", ctx -> {
                finish.await(20, TimeUnit.SECONDS); // deliberately deaf to cancelRequested()
                return StepResult.success();
            });
            OperationEngine a = f.engine(b -> b.executor("restart", exec));
            a.start();
            String op = new OperationSubmitter(f.db, a).submit(EngineFixture.plan(cluster, "restart", "r-1", "r-2")
                    .build()).operationId();
            f.await(op, d -> d.steps().get(0).state() == StepState.RUNNING, Duration.ofSeconds(20));

            steal(f, op, System.currentTimeMillis() + 600_000);
            finish.countDown();
            awaitNotRunning(a, op);

            OperationDetail d = f.get(op);
            assertThat(d.steps().get(0).state()).as("the lost owner's result is refused").isEqualTo(StepState.RUNNING);
            assertThat(d.steps().get(1).state()).isEqualTo(StepState.ACCEPT);
            assertThat(d.operation().state()).isEqualTo(OperationState.RUNNING);
            assertThat(d.operation().leaseOwner()).isEqualTo("thief");
            assertThat(exec.releases()).containsExactly("r-1");
        }
    }

    @StoreTest
    void aHeartbeatThatFindsTheLeaseGoneStopsTheStepAndTheOperationIsResumedWhenTheLeaseExpires(
            StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor exec = new RecordingExecutor("A", ctx -> ctx.step().attempt() == 1 && ctx.step().releaseName().equals("r-1")
                    ? RecordingExecutor.untilCancelled(ctx) : StepResult.success());
            OperationEngine a = f.engine(b -> b.executor("restart", exec));
            a.start();
            String op = new OperationSubmitter(f.db, a).submit(EngineFixture.plan(cluster, "restart", "r-1", "r-2")
                    .build()).operationId();
            f.await(op, d -> d.steps().get(0).state() == StepState.RUNNING, Duration.ofSeconds(20));

            steal(f, op, System.currentTimeMillis() + 600_000);
            awaitNotRunning(a, op); // the heartbeat noticed, the step stopped, nothing was written
            OperationDetail stolen = f.get(op);
            assertThat(stolen.steps().get(0).state()).isEqualTo(StepState.RUNNING);
            assertThat(stolen.steps().get(0).endTime()).isNull();
            assertThat(stolen.operation().leaseOwner()).isEqualTo("thief");

            steal(f, op, 1); // the thief dies: its lease is long expired
            OperationDetail d = f.awaitEnd(op);
            assertThat(d.operation().state()).isEqualTo(OperationState.SUCCESS);
            assertThat(d.steps().get(0).attempt()).isEqualTo(2);
            assertThat(exec.overlaps).isEmpty();
            assertThat(exec.releases()).containsExactly("r-1", "r-1", "r-2");
        }
    }
}
