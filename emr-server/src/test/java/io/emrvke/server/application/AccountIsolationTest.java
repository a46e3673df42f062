package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.api.client.EmrClient;
import io.emrvke.server.account.Role;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class AccountIsolationTest {

    @StoreTest
    void anotherAccountSeesAndTouchesNothingOfTheFirst(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            JsonNode created = lp.call("CreateVirtualCluster", LifecyclePlane.createBody("mine",
                    LifecyclePlane.apps("ZooKeeper")));
            String clusterId = created.path("ClusterId").asText();
            String operationId = created.path("OperationId").asText();
            EmrClient other = lp.newClient(2, "eve", Role.ADMIN);
            String cluster = "{\"ClusterId\":\"" + clusterId + "\"}";
            String operation = "{\"OperationId\":\"" + operationId + "\"}";

            assertNotFound(other, "GetVirtualCluster", cluster, "NotFound.Cluster", clusterId);
            assertNotFound(other, "DeleteVirtualCluster", cluster, "NotFound.Cluster", clusterId);
            assertNotFound(other, "ListApplications", cluster, "NotFound.Cluster", clusterId);
            assertNotFound(other, "DeployApplications", "{\"ClusterId\":\"" + clusterId + "\",\"Applications\":"
                    + LifecyclePlane.apps("Hive") + "}", "NotFound.Cluster", clusterId);
            assertNotFound(other, "UndeployApplications", "{\"ClusterId\":\"" + clusterId
                    + "\",\"ApplicationNames\":[\"ZooKeeper\"]}", "NotFound.Cluster", clusterId);
            assertNotFound(other, "GetOperation", operation, "NotFound.Operation", operationId);
            assertNotFound(other, "CancelOperation", operation, "NotFound.Operation", operationId);
            assertThat(LifecyclePlane.call(other, "ListVirtualClusters", "{}").path("TotalCount").asLong()).isZero();
            assertThat(LifecyclePlane.call(other, "ListOperations", "{}").path("TotalCount").asLong()).isZero();

            // the same answers as for ids that never existed
            EmrApiException absent = LifecyclePlane.error(other, "GetVirtualCluster",
                    "{\"ClusterId\":\"emr-aaaaaaaaaaaaaaaaaaaa\"}");
            assertThat(absent.httpStatus()).isEqualTo(404);
            assertThat(absent.code()).isEqualTo("NotFound.Cluster");

            EmrClient readonly = lp.newClient(1, "viewer", Role.READONLY);
            EmrApiException denied = LifecyclePlane.error(readonly, "DeleteVirtualCluster", cluster);
            assertThat(denied.httpStatus()).isEqualTo(403);
            assertThat(denied.code()).isEqualTo("AccessDenied");
            assertThat(LifecyclePlane.call(readonly, "GetVirtualCluster", cluster).path("ClusterId").asText())
                    .isEqualTo(clusterId);

            assertThat(lp.awaitOperation(operationId).path("OperationState").asText()).isEqualTo("SUCCESS");
            assertThat(lp.cluster(clusterId).path("ClusterState").asText()).isEqualTo("RUNNING");
        }
    }

    private static void assertNotFound(EmrClient client, String action, String body, String code, String id) {
        EmrApiException e = LifecyclePlane.error(client, action, body);
        assertThat(e.httpStatus()).as(action).isEqualTo(404);
        assertThat(e.code()).as(action).isEqualTo(code);
        assertThat(e.apiMessage()).as(action).contains(id).doesNotContain("mine");
    }
}
