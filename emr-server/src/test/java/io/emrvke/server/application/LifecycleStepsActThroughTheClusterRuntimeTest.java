package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.StepResult;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RuntimeFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster and instance lifecycle steps ({@link LifecycleSteps}, {@link InstanceStepExecutors}) against a
 * {@link io.emrvke.server.runtime.FakeClusterRuntime}, with no server and no Kubernetes: the runtime calls each
 * makes and how the step ends.
 */
class LifecycleStepsActThroughTheClusterRuntimeTest {
    private FakeRuntimeCluster plane;
    private LifecycleSteps lifecycle;
    private InstanceStepExecutors instanceSteps;
    private InstanceRef ray;

    @BeforeEach
    void start() {
        plane = new FakeRuntimeCluster();
        lifecycle = new LifecycleSteps(plane.jdbi, FakeRuntimeCluster.CATALOG, plane.targets, "emr.node-pool");
        instanceSteps = new InstanceStepExecutors(plane.jdbi, plane.stepTargets());
        ray = plane.rayCluster("ray-a");
    }

    @AfterEach
    void stop() {
        plane.close();
    }

    @Test
    void aDeployAppliesTheInstancesStoredConfigVersionThenWaitsUntilItIsReady() throws Exception {
        StepResult result = lifecycle.deploy(step(OperationName.CREATE_COMPONENT_INSTANCE, "ray-a",
                LifecycleSteps.DEPLOY));

        assertThat(plane.runtime.calls()).containsExactly("apply " + ray, "await " + ray + " be ready");
        ReleaseSpec applied = plane.runtime.applied().get(0);
        assertThat(applied.chart()).isEqualTo(FakeRuntimeCluster.RAY_CLUSTER.chart());
        assertThat(applied.replicas()).as("the catalog's worker_replicas").isEqualTo(2);
        assertThat(applied.clusterId()).isEqualTo(plane.cluster.clusterId());
        assertThat(result).isEqualTo(StepResult.success("ray-a running: 2/2 pods ready"));
    }

    @Test
    void aDeployWhosePodsNeverGetReadyFailsTheStepWithThePodState() {
        plane.runtime.podsFail(ray, "2 of 3 pods of ray-a not ready: CrashLoopBackOff");

        assertThatThrownBy(() -> lifecycle.deploy(step(OperationName.CREATE_COMPONENT_INSTANCE, "ray-a",
                LifecycleSteps.DEPLOY)))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("waiting for ray-a to be ready: 2 of 3 pods of ray-a not ready: CrashLoopBackOff");
    }

    @Test
    void aDeployCancelledBeforeItAppliesLeavesTheTargetUntouched() throws Exception {
        FakeStepContext ctx = step(OperationName.CREATE_COMPONENT_INSTANCE, "ray-a", LifecycleSteps.DEPLOY);
        ctx.cancel();

        assertThat(lifecycle.deploy(ctx)).isEqualTo(StepResult.cancelled("cancelled before applying ray-a"));
        assertThat(plane.runtime.calls()).isEmpty();
    }

    @Test
    void anApplyTheApiRefusesFailsTheDeployWithTheApisMessage() {
        plane.runtime.refuse("apply", new RuntimeFailure(RuntimeFailure.Reason.API_REJECTED,
                "RayCluster ray-a: spec.workerGroupSpecs[0].replicas: Invalid value: -1"));

        assertThatThrownBy(() -> lifecycle.deploy(step(OperationName.CREATE_COMPONENT_INSTANCE, "ray-a",
                LifecycleSteps.DEPLOY)))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("Invalid value: -1");
        assertThat(plane.runtime.calls()).containsExactly("apply " + ray);
    }

    @Test
    void theNamespaceStepsCreateAndDeleteTheClustersNamespace() {
        String namespace = plane.cluster.namespace();

        assertThat(lifecycle.createNamespace(step(OperationName.CREATE_CLUSTER, null, LifecycleSteps.CREATE_NAMESPACE)))
                .isEqualTo(StepResult.success("namespace " + namespace + " exists"));
        assertThat(lifecycle.deleteNamespace(step(OperationName.DELETE_CLUSTER, null, LifecycleSteps.DELETE_NAMESPACE)))
                .isEqualTo(StepResult.success("namespace " + namespace + " deleted"));
        assertThat(plane.runtime.calls()).containsExactly("ensureNamespace " + namespace, "deleteNamespace " + namespace);
    }

    @Test
    void anUndeployDeletesTheReleaseAndSaysSoWhenNothingIsLeft() {
        plane.runtime.running(ray);
        FakeStepContext ctx = step(OperationName.UNDEPLOY_APPLICATIONS, "ray-a", LifecycleSteps.UNDEPLOY);

        assertThat(lifecycle.undeploy(ctx)).isEqualTo(StepResult.success("deleted 1 object(s)"));
        assertThat(lifecycle.undeploy(ctx)).isEqualTo(StepResult.success("nothing left to delete"));
        assertThat(plane.runtime.calls()).containsExactly("deleteRelease " + ray, "deleteRelease " + ray);
    }

    @Test
    void anInstanceDeleteDeletesTheReleaseThenWaitsUntilNoPodIsLeft() throws Exception {
        plane.runtime.running(ray);

        StepResult result = instanceSteps.delete(step(OperationName.DELETE_COMPONENT_INSTANCE, "ray-a",
                InstanceStepExecutors.DELETE_INSTANCE));

        assertThat(plane.runtime.calls()).containsExactly("deleteRelease " + ray, "await " + ray + " no pods");
        assertThat(result).isEqualTo(StepResult.success("ray-a deleted (1 objects); no pods left"));
    }

    private FakeStepContext step(OperationName operation, String releaseName, String action) {
        return FakeStepContext.of(plane.cluster.clusterId(), operation, releaseName, action, "{}", Map.of());
    }
}
