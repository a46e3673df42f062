package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Many operations submitted at once to one engine: every submit wakes a scan, and scans run on
 * more than one scheduler thread, so two scans see the same claimable operation. Each operation
 * still gets one run: its step is executed once, and it ends SUCCESS (two runs of one operation
 * would execute the step twice and the one finishing first would cancel the other's step).
 */
class ConcurrentSubmitsRunEachOperationOnceTest {
    private static final int OPERATIONS = 120;
    private static final int SUBMITTERS = 12;

    @StoreTest
    void eachOfManyConcurrentlySubmittedOperationsRunsItsStepOnce(StoreBackend backend) throws Exception {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            RecordingExecutor restart = new RecordingExecutor("A", ctx -> {
                Thread.sleep(20);
                return StepResult.success();
            });
            OperationEngine engine = f.engine(b -> b.executor("restart", restart));
            engine.start();
            OperationSubmitter submitter = new OperationSubmitter(f.db, engine);
            ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < OPERATIONS; i++) {
                String release = "r-" + i;
                submitted.add(pool.submit(() -> submitter.submit(OperationPlan.builder(EngineFixture.ACCOUNT,
                                EngineFixture.USER, cluster, OperationName.RUN_APPLICATION_ACTION)
                        .targets(Targets.instances(Set.of(release)))
                        .step(new PlannedStep(0, "Ray", "RayCluster", release, "restart"))
                        .build()).operationId()));
            }
            List<String> operations = new ArrayList<>();
            for (Future<String> s : submitted) {
                operations.add(s.get());
            }
            pool.shutdown();

            for (String op : operations) {
                assertThat(f.awaitEnd(op).operation().state()).as(op).isEqualTo(OperationState.SUCCESS);
            }
            Map<String, Long> runsPerRelease = restart.invocations.stream().collect(Collectors.groupingBy(
                    RecordingExecutor.Invocation::release, Collectors.counting()));
            assertThat(runsPerRelease).hasSize(OPERATIONS);
            assertThat(runsPerRelease.entrySet()).allSatisfy(e -> assertThat(e.getValue())
                    .as("executions of the step of " + e.getKey()).isEqualTo(1L));
            assertThat(restart.overlaps).isEmpty();
        }
    }
}
