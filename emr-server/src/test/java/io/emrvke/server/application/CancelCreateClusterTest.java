package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CancelOperation on a CreateCluster waiting for slow pods ends it CANCEL: the waiting step and the
 * ones not started end CANCEL, the cluster is INIT_FAILED saying it was cancelled (api.md: INIT ends
 * RUNNING or INIT_FAILED), the application installed before is INSTALLED and the interrupted one
 * INSTALL_FAILED. A second cancel, or a cancel of the DeleteCluster that then cleans the cluster up,
 * is refused with 409 OperationDenied.OperationState naming the state the operation ended in.
 * On H2 and PostgreSQL.
 */
class CancelCreateClusterTest {
    /** Ray's pods take this long to be ready: its first deploy step is still waiting when cancelled. */
    private static final String SLOW_PODS = "slow:20000";

    @StoreTest
    void cancelledCreateEndsCancelLeavesTheClusterInitFailedAndEndedOperationsRefuseCancel(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String apps = "[{\"ApplicationName\":\"Spark\"},"
                    + LifecyclePlane.appWithConfig("Ray", "__envs__", "SANDBOX_FAULT", SLOW_PODS) + "]";
            JsonNode created = lp.call("CreateVirtualCluster", LifecyclePlane.createBody("cancelled", apps));
            String clusterId = created.path("ClusterId").asText();
            String createOp = created.path("OperationId").asText();
            String suffix = Deployments.clusterSuffix(clusterId);
            LifecyclePlane.eventually("the KubeRay operator's deploy step waits for its pods",
                    () -> stepStates(lp.call("GetOperation", opBody(createOp))).get(3).endsWith(" RUNNING"));

            JsonNode accepted = lp.call("CancelOperation", opBody(createOp));
            assertThat(accepted.path("OperationId").asText()).isEqualTo(createOp);
            assertThat(accepted.path("ClusterId").asText()).isEqualTo(clusterId);
            JsonNode op = lp.awaitOperation(createOp);

            assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("CANCEL");
            assertThat(stepStates(op)).containsExactly("createNamespace  SUCCESS",
                    "deploy spark-operator-" + suffix + " SUCCESS", "deploy spark-history-server-" + suffix + " SUCCESS",
                    "deploy kuberay-operator-" + suffix + " CANCEL", "deploy raycluster-" + suffix + " CANCEL");
            assertThat(op.path("EndTime").asLong() - op.path("StartTime").asLong())
                    .as("the wait was cut short, not sat out").isLessThan(20_000);
            JsonNode cluster = lp.cluster(clusterId);
            assertThat(cluster.path("ClusterState").asText()).isEqualTo("INIT_FAILED");
            assertThat(cluster.path("StateChangeReason").asText())
                    .startsWith("Application Ray failed to install: was cancelled");
            assertThat(lp.applicationStates(clusterId))
                    .isEqualTo(Map.of("Ray", "INSTALL_FAILED", "Spark", "INSTALLED"));

            assertCancelRefused(lp, createOp, "CANCEL");

            String deleteOp = lp.call("DeleteVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}")
                    .path("OperationId").asText();
            assertThat(lp.awaitOperation(deleteOp).path("OperationState").asText()).isEqualTo("SUCCESS");
            LifecyclePlane.eventually("namespace " + clusterId + " is gone",
                    () -> lp.kube().namespaces().withName(clusterId).get() == null);
            assertThat(lp.cluster(clusterId).path("ClusterState").asText()).isEqualTo("DELETED");

            assertCancelRefused(lp, deleteOp, "SUCCESS");
        }
    }

    private static void assertCancelRefused(LifecyclePlane lp, String operationId, String endedState) {
        EmrApiException refused = lp.error("CancelOperation", opBody(operationId));
        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("OperationDenied.OperationState");
        assertThat(refused.apiMessage()).contains(operationId).contains("already ended " + endedState);
    }

    private static String opBody(String operationId) {
        return "{\"OperationId\":\"" + operationId + "\"}";
    }

    /** "action releaseName state" per step, in step order. */
    private static List<String> stepStates(JsonNode op) {
        List<String> out = new ArrayList<>();
        op.path("Steps").forEach(s -> out.add(s.path("Action").asText() + " " + s.path("ReleaseName").asText("")
                + " " + s.path("StepState").asText()));
        return out;
    }
}
