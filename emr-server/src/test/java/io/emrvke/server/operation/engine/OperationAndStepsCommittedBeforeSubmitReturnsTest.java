package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.Database;
import java.util.Set;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class OperationAndStepsCommittedBeforeSubmitReturnsTest {

    @StoreTest
    void anotherConnectionSeesTheOperationItsStepsAndTargetsAsSoonAsSubmitReturns(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationSubmitter submitter = new OperationSubmitter(f.db, new Idempotency(Idempotency.DEFAULT_RETENTION), () -> { });
            Submission s = submitter.submit(EngineFixture.plan(cluster, "restart", "a-1", "b-1", "c-1")
                    .targets(Targets.instances(Set.of("a-1", "b-1", "c-1")))
                    .options(new ExecutionOptions(FailureStrategy.CONTINUE, 250, 5_000))
                    .build(), (h, id) -> h.createUpdate("UPDATE clusters SET state_change_reason = :r WHERE cluster_id = :c")
                    .bind("r", "written with " + id).bind("c", cluster).execute());

            Database other = f.store.open();
            OperationDetail d = new OperationRepository(other.jdbi()).get(EngineFixture.ACCOUNT, s.operationId()).orElseThrow();
            assertThat(s.replayed()).isFalse();
            assertThat(s.clusterId()).isEqualTo(cluster);
            assertThat(d.operation().state()).isEqualTo(OperationState.ACCEPT);
            assertThat(d.steps()).extracting(StepRow::releaseName).containsExactly("a-1", "b-1", "c-1");
            assertThat(d.steps()).extracting(StepRow::state).containsOnly(StepState.ACCEPT);
            assertThat(f.heldTargets(cluster)).containsExactly("a-1", "b-1", "c-1");
            String reason = other.jdbi().withHandle(h -> h.createQuery("SELECT state_change_reason FROM clusters"
                    + " WHERE cluster_id = :c").bind("c", cluster).mapTo(String.class).one());
            assertThat(reason).isEqualTo("written with " + s.operationId());
            String strategy = other.jdbi().withHandle(h -> h.createQuery("SELECT failure_strategy || '/' ||"
                    + " CAST(batch_interval_ms AS VARCHAR) || '/' || CAST(step_timeout_ms AS VARCHAR) FROM operations"
                    + " WHERE operation_id = :id").bind("id", s.operationId()).mapTo(String.class).one());
            assertThat(strategy).isEqualTo("CONTINUE/250/5000");
        }
    }

    @StoreTest
    void aFailingCallbackLeavesNothingBehind(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationSubmitter submitter = new OperationSubmitter(f.db, new Idempotency(Idempotency.DEFAULT_RETENTION), () -> { });
            assertThatThrownBy(() -> submitter.submit(EngineFixture.plan(cluster, "restart", "a-1").build(),
                    (h, id) -> {
                        throw new IllegalStateException("domain check failed");
                    })).hasMessageContaining("domain check failed");

            long operations = f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operations")
                    .mapTo(Long.class).one());
            long steps = f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operation_steps")
                    .mapTo(Long.class).one());
            assertThat(operations).isZero();
            assertThat(steps).isZero();
            assertThat(f.heldTargets(cluster)).isEmpty();
        }
    }
}
