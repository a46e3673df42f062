package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.emrvke.server.account.Caller;
import io.emrvke.server.account.Role;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.engine.ConflictingOperationException;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.operation.engine.ExecutionOptions;
import io.emrvke.server.operation.engine.Idempotency;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RunActions} turns a {@link RunActionCommand} into one stored operation, with no server and no
 * Kubernetes: one step per instance in the command's (catalog) order, {@code batchSize} steps a batch, the
 * instances held against overlapping operations; a dry run stores the same plan ended SKIP, holding nothing.
 */
class RestartPlanBatchesInstancesInCommandOrderTest {
    private static final Caller CALLER = new Caller("AK", 1, 1, "root", Role.ADMIN);
    private static final ApplicationSpec RAY = Catalog.loadBundled().release("EMR-VKE-1.8.0").orElseThrow()
            .application("Ray").orElseThrow();

    private StoreBackend backend;
    private Jdbi jdbi;
    private RunActions runActions;
    private ClusterRow cluster;
    private final AtomicInteger wakes = new AtomicInteger();

    @BeforeEach
    void store() {
        backend = StoreBackends.fresh(StoreBackends.Kind.H2);
        jdbi = backend.database().jdbi();
        runActions = new RunActions(new ConfigRepository(jdbi), new OperationSubmitter(backend.database(),
                new Idempotency(Idempotency.DEFAULT_RETENTION), wakes::incrementAndGet));
        String clusterId = Ids.newClusterId();
        long now = System.currentTimeMillis();
        cluster = new ClusterRow(clusterId, 1, 1, "root", "plans", "EMR-VKE-1.8.0", "default", "cn-beijing", null,
                "sandbox", List.of("pool-a"), "emr-" + clusterId, ClusterState.RUNNING, null, now, now, now, null);
        new ClusterRepository(jdbi).insert(cluster);
    }

    @AfterEach
    void closeStore() {
        backend.close();
    }

    @Test
    void fiveInstancesInBatchesOfTwoMakeThreeBatchesInTheCommandsOrder() {
        Submission s = runActions.run(restart(2, false, "ray-e", "ray-a", "ray-d", "ray-b", "ray-c"));

        OperationDetail op = stored(s);
        assertThat(op.steps()).extracting(StepRow::stepIndex, StepRow::batchIndex, StepRow::releaseName,
                StepRow::action, StepRow::state).containsExactly(
                tuple(0, 0, "ray-e", "restart", StepState.ACCEPT),
                tuple(1, 0, "ray-a", "restart", StepState.ACCEPT),
                tuple(2, 1, "ray-d", "restart", StepState.ACCEPT),
                tuple(3, 1, "ray-b", "restart", StepState.ACCEPT),
                tuple(4, 2, "ray-c", "restart", StepState.ACCEPT));
        assertThat(op.steps()).extracting(StepRow::applicationName, StepRow::componentName)
                .containsOnly(tuple("Ray", "RayCluster"));
        assertThat(op.operation().state()).isEqualTo(OperationState.ACCEPT);
        assertThat(wakes).as("a submitted plan wakes the engine").hasValue(1);
    }

    @Test
    void aBatchSizeOfOneRunsOneInstanceAtATimeAndALargerOneRunsAllTogether() {
        List<StepRow> oneByOne = stored(runActions.run(restart(1, false, "ray-a", "ray-b", "ray-c"))).steps();
        assertThat(oneByOne).extracting(StepRow::batchIndex).containsExactly(0, 1, 2);

        List<StepRow> together = stored(runActions.run(command(ComponentAction.STOP, 10, false, "ray-x", "ray-y")))
                .steps();
        assertThat(together).extracting(StepRow::batchIndex, StepRow::action)
                .containsExactly(tuple(0, "stop"), tuple(0, "stop"));
    }

    @Test
    void thePlannedInstancesAreHeldSoAnOverlappingPlanIsRefused() {
        Submission first = runActions.run(restart(2, false, "ray-a", "ray-b"));

        assertThatThrownBy(() -> runActions.run(restart(1, false, "ray-b", "ray-c")))
                .isInstanceOf(ConflictingOperationException.class)
                .hasMessageContaining(first.operationId());
        assertThat(runActions.run(restart(1, false, "ray-c")).replayed()).isFalse();
    }

    @Test
    void aDryRunStoresTheSamePlanEndedSkipWithEachStepsConfigDiffAndHoldsNothing() {
        RunActionCommand dry = command(ComponentAction.RESTART, 2, true, List.of(
                new ConfigItem("__envs__", "LOG_LEVEL", "debug")), "ray-a", "ray-b", "ray-c");

        OperationDetail op = stored(runActions.run(dry));

        assertThat(op.operation().state()).isEqualTo(OperationState.SKIP);
        assertThat(op.operation().stateChangeReason()).contains("3 instance(s) in 2 batch(es)");
        assertThat(op.steps()).extracting(StepRow::batchIndex, StepRow::releaseName, StepRow::state, StepRow::message)
                .containsExactly(
                        tuple(0, "ray-a", StepState.SKIP,
                                "dry run: would restart ray-a with config version 2: __envs__ LOG_LEVEL: (unset) → debug"),
                        tuple(0, "ray-b", StepState.SKIP,
                                "dry run: would restart ray-b with config version 2: __envs__ LOG_LEVEL: (unset) → debug"),
                        tuple(1, "ray-c", StepState.SKIP,
                                "dry run: would restart ray-c with config version 2: __envs__ LOG_LEVEL: (unset) → debug"));
        assertThat(wakes).as("nothing for the engine to run").hasValue(0);
        assertThat(runActions.run(restart(3, false, "ray-a", "ray-b", "ray-c")).replayed())
                .as("the dry run held no instance").isFalse();
    }

    private OperationDetail stored(Submission s) {
        assertThat(s.clusterId()).isEqualTo(cluster.clusterId());
        return new OperationRepository(jdbi).get(CALLER.accountId(), s.operationId()).orElseThrow();
    }

    private RunActionCommand restart(int batchSize, boolean dryRun, String... releaseNames) {
        return command(ComponentAction.RESTART, batchSize, dryRun, List.of(), releaseNames);
    }

    private RunActionCommand command(ComponentAction action, int batchSize, boolean dryRun, String... releaseNames) {
        return command(action, batchSize, dryRun, List.of(), releaseNames);
    }

    /** RayCluster instances (rows made here, never stored: planning reads none) with {@code changes} each. */
    private RunActionCommand command(ComponentAction action, int batchSize, boolean dryRun, List<ConfigItem> changes,
                                     String... releaseNames) {
        List<RunActionCommand.Target> targets = new ArrayList<>();
        for (String name : releaseNames) {
            InstanceRow row = InstanceRow.created(cluster.clusterId(), name, "Ray", "RayCluster", "RayCluster", 1L);
            targets.add(new RunActionCommand.Target(RAY, RAY.component("RayCluster").orElseThrow(), row, changes));
        }
        return new RunActionCommand(CALLER, cluster, action, targets, changes, batchSize, ExecutionOptions.defaults(),
                dryRun, "{}", null, null);
    }
}
