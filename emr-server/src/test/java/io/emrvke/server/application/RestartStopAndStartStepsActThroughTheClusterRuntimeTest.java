package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.StepResult;
import io.emrvke.server.runtime.ConfigFileValues;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RuntimeFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The restart, stop and start steps of RunApplicationAction ({@link RunActionSteps}) against a
 * {@link io.emrvke.server.runtime.FakeClusterRuntime}, with no server and no Kubernetes: which runtime calls each
 * makes, in which order and with which token, what it records on the instance and how the step ends.
 */
class RestartStopAndStartStepsActThroughTheClusterRuntimeTest {
    private FakeRuntimeCluster plane;
    private RunActionSteps steps;
    private InstanceRef ray;

    @BeforeEach
    void start() {
        plane = new FakeRuntimeCluster();
        steps = new RunActionSteps(plane.jdbi, FakeRuntimeCluster.CATALOG, plane.targets, "emr.node-pool");
        ray = plane.rayCluster("ray-a");
    }

    @AfterEach
    void stop() {
        steps.close();
        plane.close();
    }

    @Test
    void aRestartWithConfigChangesAppliesTheReRenderedReleaseThenRestartsWithTheOperationsToken() throws Exception {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of(
                new ConfigItem("ray-cluster-values.yaml", "worker_replicas", "3"),
                new ConfigItem("__envs__", "RAY_BACKEND_LOG_LEVEL", "debug")));

        StepResult result = steps.restart(ctx);

        String token = ctx.recordedToken().orElseThrow();
        assertThat(plane.runtime.calls()).containsExactly("apply " + ray, "restart " + ray + " " + token);
        ReleaseSpec applied = plane.runtime.applied().get(0);
        assertThat(applied.replicas()).as("worker_replicas sizes the RayCluster").isEqualTo(3);
        assertThat(file(applied, "__envs__").items()).containsEntry("RAY_BACKEND_LOG_LEVEL", "debug")
                .containsEntry("RAY_DEDUP_LOGS", "1");
        assertThat(applied.placement().pools()).containsExactly("pool-a");
        assertThat(result).isEqualTo(StepResult.success("ray-a restarted: 2/2 pods ready; config version 2"));
        assertThat(plane.row("ray-a").configVersion()).isEqualTo(2);
        assertThat(plane.row("ray-a").revision()).as("one more applied revision").isEqualTo(1);
    }

    @Test
    void aRestartWithoutConfigChangesAppliesNothingAndOnlyRestarts() throws Exception {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of());

        StepResult result = steps.restart(ctx);

        assertThat(plane.runtime.calls()).containsExactly("restart " + ray + " " + ctx.recordedToken().orElseThrow());
        assertThat(result).isEqualTo(StepResult.success("ray-a restarted: 2/2 pods ready"));
        assertThat(plane.row("ray-a").configVersion()).isEqualTo(1);
    }

    @Test
    void aResumedRestartReusesTheRecordedTokenAndWritesTheConfigVersionOnce() throws Exception {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of(
                new ConfigItem("__envs__", "RAY_BACKEND_LOG_LEVEL", "debug")));

        steps.restart(ctx);
        String token = ctx.recordedToken().orElseThrow();
        StepResult resumed = steps.restart(ctx);

        assertThat(plane.runtime.calls()).filteredOn(c -> c.startsWith("restart"))
                .containsExactly("restart " + ray + " " + token, "restart " + ray + " " + token);
        assertThat(plane.row("ray-a").configVersion()).as("written once per operation").isEqualTo(2);
        assertThat(resumed.message()).endsWith("; config version 2");
    }

    @Test
    void aRestartOfAStoppedInstanceRestartsThenStartsIt() throws Exception {
        plane.runtime.stopped(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of());

        StepResult result = steps.restart(ctx);

        assertThat(plane.runtime.calls()).containsExactly("restart " + ray + " " + ctx.recordedToken().orElseThrow(),
                "start " + ray);
        assertThat(result).isEqualTo(StepResult.success("ray-a restarted (it was stopped: started): 2/2 pods ready"));
        assertThat(plane.row("ray-a").desiredState()).isEqualTo(DesiredState.RUNNING);
    }

    @Test
    void aRestartWhosePodsNeverGetReadyFailsTheStepWithThePodState() {
        plane.runtime.running(ray).podsFail(ray, "1 of 3 pods of ray-a not ready: CrashLoopBackOff");

        assertThatThrownBy(() -> steps.restart(step(ComponentAction.RESTART, List.of())))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("ray-a not ready: CrashLoopBackOff")
                .satisfies(e -> assertThat(((RuntimeFailure) e).reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT));
    }

    @Test
    void aSecretItemReachesTheAppliedReleaseFromTheOperationsSecretValues() throws Exception {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of(new ConfigItem("__envs__", "DB_PASSWORD", "s3cr3t")));

        StepResult result = steps.restart(ctx);

        assertThat(file(plane.runtime.applied().get(0), "__envs__").items()).containsEntry("DB_PASSWORD", "s3cr3t");
        assertThat(result.message()).doesNotContain("s3cr3t");
    }

    @Test
    void aSecretValueNoLongerStoredFailsTheRestartNamingTheItemBeforeAnyRuntimeCall() {
        plane.runtime.running(ray);
        RunActionPayload.Encoded payload = new RunActionPayload(ComponentAction.RESTART,
                List.of(new ConfigItem("__envs__", "DB_PASSWORD", "s3cr3t"))).encode();
        FakeStepContext ctx = FakeStepContext.of(plane.cluster.clusterId(), OperationName.RUN_APPLICATION_ACTION,
                "ray-a", "restart", payload.params(), Map.of());

        assertThatThrownBy(() -> steps.restart(ctx))
                .hasMessage("the value of secret item DB_PASSWORD of __envs__ is not stored for operation op-1");
        assertThat(plane.runtime.calls()).isEmpty();
    }

    @Test
    void aCancelAskedBeforeTheStepRunsTouchesNeitherTheRuntimeNorTheInstance() throws Exception {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(ComponentAction.RESTART, List.of(
                new ConfigItem("__envs__", "RAY_BACKEND_LOG_LEVEL", "debug")));
        ctx.cancel();

        assertThat(steps.restart(ctx)).isEqualTo(StepResult.cancelled("cancelled before restarting ray-a"));
        assertThat(plane.runtime.calls()).isEmpty();
        assertThat(plane.row("ray-a").configVersion()).isEqualTo(1);
    }

    @Test
    void aStopStopsRemembersTheSizeAndNeverRestarts() throws Exception {
        plane.runtime.running(ray);

        StepResult result = steps.stop(step(ComponentAction.STOP, List.of()));

        assertThat(plane.runtime.calls()).containsExactly("status " + ray, "stop " + ray);
        assertThat(result).isEqualTo(StepResult.success("ray-a stopped: no pods running"));
        assertThat(plane.row("ray-a").desiredState()).isEqualTo(DesiredState.STOPPED);
        assertThat(plane.row("ray-a").rememberedReplicas()).isEqualTo(2);
    }

    @Test
    void aStopOfAStoppedInstanceIsSkippedAsAlreadyStopped() throws Exception {
        plane.runtime.stopped(ray);

        assertThat(steps.stop(step(ComponentAction.STOP, List.of())))
                .isEqualTo(StepResult.skip("ray-a already stopped"));
    }

    @Test
    void aStartStartsAStoppedInstanceAndSkipsARunningOne() throws Exception {
        plane.runtime.stopped(ray);

        assertThat(steps.start(step(ComponentAction.START, List.of())))
                .isEqualTo(StepResult.success("ray-a started: 2/2 pods ready"));
        assertThat(steps.start(step(ComponentAction.START, List.of())))
                .isEqualTo(StepResult.skip("ray-a already running"));
        assertThat(plane.runtime.calls()).containsExactly("start " + ray, "start " + ray);
        assertThat(plane.row("ray-a").desiredState()).isEqualTo(DesiredState.RUNNING);
    }

    @Test
    void aStartWhosePodsNeverGetReadyFailsTheStepWithThePodState() {
        plane.runtime.stopped(ray).podsFail(ray, "0 of 3 pods of ray-a ready: ImagePullBackOff");

        assertThatThrownBy(() -> steps.start(step(ComponentAction.START, List.of())))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("ImagePullBackOff");
    }

    /** A step on ray-a of a RunApplicationAction operation whose stored payload holds these changes. */
    private FakeStepContext step(ComponentAction action, List<ConfigItem> changes) {
        RunActionPayload.Encoded payload = new RunActionPayload(action, changes).encode();
        return FakeStepContext.of(plane.cluster.clusterId(), OperationName.RUN_APPLICATION_ACTION, "ray-a",
                action.wireName(), payload.params(), payload.secretValues().byName());
    }

    private static ConfigFileValues file(ReleaseSpec spec, String name) {
        return spec.configFiles().stream().filter(f -> f.fileName().equals(name)).findFirst().orElseThrow();
    }
}
