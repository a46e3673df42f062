package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.api.CancelOperationAction;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.time.Duration;

class CancelBetweenStepsTest {

    static Object cancel(CancelOperationAction action, long account, String operationId) {
        Caller caller = new Caller("AKTEST", account, EngineFixture.USER, "tester", Role.ADMIN);
        Params params = Params.of(JsonNodeFactory.instance.objectNode().put("OperationId", operationId));
        return action.spec().handler().handle(new ActionContext("CancelOperation", "req-1", "cn-beijing", caller, params));
    }

    @StoreTest
    void cancelDuringTheBatchIntervalEndsTheOperationWithoutRunningTheRest(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", ctx -> StepResult.success());
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart",
                            "r-1", "r-2", "r-3")
                    .options(new ExecutionOptions(FailureStrategy.BLOCK, 60_000, 10_000)).build()).operationId();
            f.await(op, d -> d.steps().get(0).state() == StepState.SUCCESS, Duration.ofSeconds(20));

            Object result = cancel(new CancelOperationAction(engine), EngineFixture.ACCOUNT, op);

            assertThat(result).isEqualTo(new CancelOperationAction.Result(cluster, op));
            OperationDetail d = f.awaitEnd(op);
            assertThat(d.operation().state()).isEqualTo(OperationState.CANCEL);
            assertThat(d.steps()).extracting(StepRow::state)
                    .containsExactly(StepState.SUCCESS, StepState.CANCEL, StepState.CANCEL);
            assertThat(d.operation().stateChangeReason()).isEqualTo("Cancelled on request: 2 of 3 step(s) did not complete.");
            assertThat(restart.releases()).containsExactly("r-1");
            assertThat(f.heldTargets(cluster)).isEmpty();
        }
    }

    @StoreTest
    void anOperationNotStartedYetEndsCancelAtOnceAndAnEndedOneIsRefused(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationEngine engine = f.engine(b -> { }); // never started: nothing will claim the operation
            CancelOperationAction action = new CancelOperationAction(engine);
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart", "r-1", "r-2")
                    .build()).operationId();

            cancel(action, EngineFixture.ACCOUNT, op);

            OperationDetail d = f.get(op);
            assertThat(d.operation().state()).isEqualTo(OperationState.CANCEL);
            assertThat(d.operation().endTime()).isNotNull();
            assertThat(d.operation().cancelRequested()).isTrue();
            assertThat(d.steps()).extracting(StepRow::state).containsOnly(StepState.CANCEL);
            assertThat(f.heldTargets(cluster)).isEmpty();

            assertThatThrownBy(() -> cancel(action, EngineFixture.ACCOUNT, op))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.OPERATION_STATE_DENIED);
                        assertThat(e.getMessage()).contains(op).contains("already ended CANCEL");
                    });
        }
    }

    @StoreTest
    void anotherAccountsOrAnUnknownOperationIsNotFound(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationEngine engine = f.engine(b -> { });
            CancelOperationAction action = new CancelOperationAction(engine);
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart", "r-1")
                    .build()).operationId();

            for (String id : new String[] {op, "op-aaaaaaaaaaaaaaaaaaaa", "nonsense"}) {
                long account = id.equals(op) ? EngineFixture.OTHER_ACCOUNT : EngineFixture.ACCOUNT;
                assertThatThrownBy(() -> cancel(action, account, id))
                        .isInstanceOfSatisfying(ApiException.class,
                                e -> assertThat(e.error()).isEqualTo(ErrorCode.NOT_FOUND_OPERATION));
            }
            assertThat(f.get(op).operation().state()).isEqualTo(OperationState.ACCEPT);
            assertThat(f.get(op).operation().cancelRequested()).isFalse();
            assertThatThrownBy(() -> action.spec().handler().handle(new ActionContext("CancelOperation", "r", "cn",
                    new Caller("AK", EngineFixture.ACCOUNT, 1, "u", Role.ADMIN), Params.empty())))
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.MISSING_PARAMETER));
        }
    }
}
