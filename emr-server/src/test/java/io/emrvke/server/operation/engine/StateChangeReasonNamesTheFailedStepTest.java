package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

class StateChangeReasonNamesTheFailedStepTest {

    @StoreTest
    void theReasonSaysWhichStepFailedAndWhyAndTheLifecycleHookSeesIt(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            List<String> hookCalls = new CopyOnWriteArrayList<>();
            OperationEngine engine = f.engine(b -> b
                    .executor("restart", ctx -> {
                        if (ctx.step().releaseName().equals("raycluster-4f2a")) {
                            throw new IllegalStateException("2 of 3 pods not ready: CrashLoopBackOff");
                        }
                        return StepResult.success();
                    })
                    .lifecycle(OperationName.RUN_APPLICATION_ACTION, (h, op, state, reason) -> {
                        hookCalls.add(op.operationId() + " " + state + " " + op.state());
                        new ClusterRepository(f.db.jdbi()).updateState(h, op.clusterId(), ClusterState.INIT_FAILED,
                                reason, System.currentTimeMillis());
                    }));
            engine.start();
            String op = new OperationSubmitter(f.db, engine).submit(EngineFixture.plan(cluster, "restart",
                    "kuberay-operator-4f2a", "raycluster-4f2a", "raycluster-extra").build()).operationId();

            OperationDetail d = f.awaitEnd(op);

            String expected = "restart of raycluster-4f2a failed: 2 of 3 pods not ready: CrashLoopBackOff (1 step(s) not run)";
            assertThat(d.operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(d.operation().stateChangeReason()).isEqualTo(expected);
            assertThat(d.steps().get(1).message()).isEqualTo("2 of 3 pods not ready: CrashLoopBackOff")
                    .doesNotContain("at io.", "Exception");
            assertThat(hookCalls).containsExactly(op + " FAILED FAILED");
            ClusterRow c = new ClusterRepository(f.db.jdbi()).get(EngineFixture.ACCOUNT, cluster).orElseThrow();
            assertThat(c.state()).isEqualTo(ClusterState.INIT_FAILED);
            assertThat(c.stateChangeReason()).isEqualTo(expected);
        }
    }

    @StoreTest
    void aStepPastItsTimeoutFailsSayingSoAndAnUnknownActionFailsNamingIt(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationEngine engine = f.engine(b -> b.executor("restart", ctx -> {
                Thread.sleep(60_000); // ignores its deadline; the engine enforces it
                return StepResult.success();
            }));
            engine.start();
            OperationSubmitter submitter = new OperationSubmitter(f.db, engine);
            String slow = submitter.submit(EngineFixture.plan(cluster, "restart", "r-1")
                    .options(new ExecutionOptions(FailureStrategy.BLOCK, 0, 1_000)).build()).operationId();
            OperationDetail d = f.awaitEnd(slow);
            assertThat(d.operation().state()).isEqualTo(OperationState.FAILED);
            assertThat(d.steps().get(0).state()).isEqualTo(StepState.FAILED);
            assertThat(d.operation().stateChangeReason()).isEqualTo("restart of r-1 failed: timed out after 1 s without finishing");

            String unknown = submitter.submit(EngineFixture.plan(cluster, "resize", "r-1").build()).operationId();
            assertThat(f.awaitEnd(unknown).operation().stateChangeReason())
                    .isEqualTo("resize of r-1 failed: no executor is registered for step action 'resize'");
        }
    }

    @StoreTest
    void skippedStepsEndTheOperationSkipAndSuccessHasNoReason(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationEngine engine = f.engine(b -> b
                    .executor("start", ctx -> StepResult.skip("already running"))
                    .executor("noop", ctx -> StepResult.success()));
            engine.start();
            OperationSubmitter submitter = new OperationSubmitter(f.db, engine);
            String skipped = submitter.submit(EngineFixture.plan(cluster, "start", "r-1", "r-2").build()).operationId();
            OperationDetail d = f.awaitEnd(skipped);
            assertThat(d.operation().state()).isEqualTo(OperationState.SKIP);
            assertThat(d.operation().stateChangeReason()).isEqualTo("Nothing to do: already running");
            String ok = submitter.submit(EngineFixture.plan(cluster, "noop", "r-1").build()).operationId();
            assertThat(f.awaitEnd(ok).operation().stateChangeReason()).isNull();
        }
    }
}
