package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.ControlPlane;
import io.emrvke.server.account.Credential;
import io.emrvke.server.account.NewCredential;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class ClientTokenIdempotencyTest {

    @StoreTest
    void sameTokenAnswersTheOriginalEvenAfterARestartAndOtherParametersAreRefused(StoreBackend backend) {
        String create = LifecyclePlane.createBody("idem", LifecyclePlane.apps("ZooKeeper"));
        String withToken = create.replace("{\"ClusterName\"", "{\"ClientToken\":\"create-42\",\"ClusterName\"");
        String clusterId;
        String operationId;
        String deleteOperation;
        ControlPlane first = LifecyclePlane.startPlane(backend);
        Credential admin = first.credentials().create(NewCredential.generated(1, "root", Role.ADMIN));
        try {
            EmrClient client = LifecyclePlane.client(first, admin);
            JsonNode original = LifecyclePlane.call(client, "CreateVirtualCluster", withToken);
            clusterId = original.path("ClusterId").asText();
            operationId = original.path("OperationId").asText();
            JsonNode retried = LifecyclePlane.call(client, "CreateVirtualCluster", withToken);
            assertThat(retried.path("ClusterId").asText()).isEqualTo(clusterId);
            assertThat(retried.path("OperationId").asText()).isEqualTo(operationId);
            assertThat(LifecyclePlane.call(client, "ListVirtualClusters", "{}").path("TotalCount").asLong())
                    .isEqualTo(1);

            var mismatch = LifecyclePlane.error(client, "CreateVirtualCluster", withToken.replace("idem", "other"));
            assertThat(mismatch.code()).isEqualTo("IdempotentParameterMismatch");
            assertThat(mismatch.apiMessage()).contains("ClientToken");
        } finally {
            first.close();
        }

        try (ControlPlane second = LifecyclePlane.startPlane(backend)) {
            EmrClient client = LifecyclePlane.client(second, admin);
            JsonNode afterRestart = LifecyclePlane.call(client, "CreateVirtualCluster", withToken);
            assertThat(afterRestart.path("ClusterId").asText()).isEqualTo(clusterId);
            assertThat(afterRestart.path("OperationId").asText()).isEqualTo(operationId);

            awaitSuccess(client, operationId);
            String delete = "{\"ClusterId\":\"" + clusterId + "\",\"ClientToken\":\"delete-1\"}";
            deleteOperation = LifecyclePlane.call(client, "DeleteVirtualCluster", delete).path("OperationId").asText();
            awaitSuccess(client, deleteOperation);
            // the cluster is DELETED now, yet the retry gets its original answer, not a state refusal
            assertThat(LifecyclePlane.call(client, "DeleteVirtualCluster", delete).path("OperationId").asText())
                    .isEqualTo(deleteOperation);
            assertThat(LifecyclePlane.error(client, "DeleteVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}")
                    .code()).isEqualTo("OperationDenied.ClusterState");
        }
    }

    private static void awaitSuccess(EmrClient client, String operationId) {
        long deadline = System.currentTimeMillis() + 60_000;
        String state;
        do {
            LifecyclePlane.sleep(50);
            state = LifecyclePlane.call(client, "GetOperation", "{\"OperationId\":\"" + operationId + "\"}")
                    .path("OperationState").asText();
        } while (!state.equals("SUCCESS") && !state.equals("FAILED") && System.currentTimeMillis() < deadline);
        assertThat(state).isEqualTo("SUCCESS");
    }
}
