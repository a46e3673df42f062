package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.api.ClusterLifecycleActions;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.ExecutionOptions;
import io.emrvke.server.operation.engine.FailureStrategy;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Config values that break a chart refuse the CreateVirtualCluster itself (nothing is created). A
 * CreateCluster whose application cannot be installed ends FAILED with a reason naming the
 * instance and why; the cluster is INIT_FAILED naming the application, the failed application is
 * INSTALL_FAILED while one installed before it is INSTALLED; a DeleteVirtualCluster of the
 * INIT_FAILED cluster is accepted and removes everything. On H2 and PostgreSQL.
 */
class CreateClusterThatCannotInstallEndsInitFailedTest {
    /** The public CreateCluster waits 600 s per step and has no knob; see {@link #submitCreateCluster}. */
    private static final long STEP_TIMEOUT_MILLIS = 3_000;

    @StoreTest
    void configValuesThatBreakTheChartRefuseTheCreateAndCreateNothing(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            // head.resources must be a map in the raycluster chart: a string makes helm template fail
            String apps = "[{\"ApplicationName\":\"Spark\"},"
                    + LifecyclePlane.appWithConfig("Ray", "ray-cluster-values.yaml", "head.resources", "oops") + "]";

            EmrApiException refused = lp.error("CreateVirtualCluster", LifecyclePlane.createBody("unrenderable", apps));

            assertThat(refused.httpStatus()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("InvalidParameter");
            assertThat(refused.apiMessage()).as("names the field and the chart")
                    .startsWith("Applications.2.ApplicationConfigs would make chart raycluster fail to render");
            assertThat(lp.call("ListVirtualClusters", "{}").path("TotalCount").asLong()).isZero();
            assertThat(lp.call("ListOperations", "{}").path("TotalCount").asLong()).isZero();
        }
    }

    @StoreTest
    void crashloopingPodsFailTheCreateAtTheStepTimeoutNamingThePodState(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            ApplicationSpec spark = lp.plane.catalog().release(LifecyclePlane.RELEASE).orElseThrow()
                    .application("Spark").orElseThrow();
            ApplicationSpec ray = lp.plane.catalog().release(LifecyclePlane.RELEASE).orElseThrow()
                    .application("Ray").orElseThrow();
            List<ConfigItem> crashloop = List.of(new ConfigItem("__envs__", "SANDBOX_FAULT", "crashloop"));
            String[] ids = submitCreateCluster(lp, "crashloop", List.of(
                    new RequestedApplication(spark, List.of(), "Applications.1.ApplicationConfigs"),
                    new RequestedApplication(ray, crashloop, "Applications.2.ApplicationConfigs")));
            String clusterId = ids[0];
            String operator = "kuberay-operator-" + Deployments.clusterSuffix(clusterId);

            JsonNode op = lp.awaitOperation(ids[1]);

            assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("FAILED");
            assertThat(op.path("StateChangeReason").asText()).as("the reason says why the pods are not ready")
                    .startsWith("deploy of " + operator + " failed: ").contains("CrashLoopBackOff");
            assertInitFailed(lp, clusterId, "Application Ray failed to install: deploy of " + operator + " failed: ");
            assertThat(lp.cluster(clusterId).path("StateChangeReason").asText()).contains("CrashLoopBackOff");
            assertThat(lp.applicationStates(clusterId))
                    .isEqualTo(Map.of("Ray", "INSTALL_FAILED", "Spark", "INSTALLED"));

            assertDeleteCleansUp(lp, clusterId);
        }
    }

    /**
     * What CreateVirtualCluster submits (its namespace step, then one deploy step per instance, with
     * the cluster, application and instance rows in the same transaction), but with a step timeout
     * of {@link #STEP_TIMEOUT_MILLIS}: the public request fixes it at 600 s, with no setting to
     * shorten it, so a crashloop would otherwise take ten minutes to fail. Returns {ClusterId, OperationId}.
     */
    private static String[] submitCreateCluster(LifecyclePlane lp, String name, List<RequestedApplication> apps) {
        String clusterId = Ids.newClusterId();
        long now = System.currentTimeMillis();
        ClusterRow row = new ClusterRow(clusterId, 1, 1, "root", name, LifecyclePlane.RELEASE,
                ClusterLifecycleActions.DEFAULT_PROJECT, "cn-beijing", null, "sandbox", List.of(), clusterId,
                ClusterState.INIT, null, now, null, now, null);
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(PlannedStep.onCluster(0, LifecycleSteps.CREATE_NAMESPACE));
        steps.addAll(Deployments.deploySteps(Deployments.instancesOf(clusterId, apps), 1));
        OperationPlan plan = OperationPlan.builder(1, 1, clusterId, OperationName.CREATE_CLUSTER).operator("root")
                .content("{}").steps(steps)
                .options(new ExecutionOptions(FailureStrategy.BLOCK, 0, STEP_TIMEOUT_MILLIS)).build();
        var jdbi = lp.plane.database().jdbi();
        String operationId = new OperationSubmitter(lp.plane.database(), lp.plane.engine()).submit(plan,
                (h, opId) -> {
                    new ClusterRepository(jdbi).insert(h, row);
                    new Deployments(jdbi).write(h, clusterId, apps, opId, now);
                }).operationId();
        return new String[] {clusterId, operationId};
    }

    private static void assertInitFailed(LifecyclePlane lp, String clusterId, String reasonStart) {
        JsonNode cluster = lp.cluster(clusterId);
        assertThat(cluster.path("ClusterState").asText()).isEqualTo("INIT_FAILED");
        assertThat(cluster.path("StateChangeReason").asText()).startsWith(reasonStart);
        assertThat(cluster.path("ReadyTime").isNull()).as("never ready").isTrue();
    }

    private static void assertDeleteCleansUp(LifecyclePlane lp, String clusterId) {
        JsonNode deleted = lp.call("DeleteVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}");
        JsonNode op = lp.awaitOperation(deleted.path("OperationId").asText());

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        var kube = lp.kube();
        LifecyclePlane.eventually("namespace " + clusterId + " is gone",
                () -> kube.namespaces().withName(clusterId).get() == null);
        LifecyclePlane.eventually("no pods left", () -> kube.pods().inNamespace(clusterId).list().getItems().isEmpty());
        assertThat(lp.cluster(clusterId).path("ClusterState").asText()).isEqualTo("DELETED");
        assertThat(lp.applications(clusterId).path("TotalCount").asLong()).isZero();
    }
}
