package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.runtime.Labels;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;

class DeleteClusterRemovesEverythingTest {

    @StoreTest
    void deletedClusterLeavesNoObjectsIsDeletedAndLeftOutOfLists(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String clusterId = lp.runningCluster("doomed", LifecyclePlane.apps("Hive", "Spark"));
            var kube = lp.kube();
            assertThat(kube.pods().inNamespace(clusterId).list().getItems()).isNotEmpty();

            JsonNode deleted = lp.call("DeleteVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}");
            assertThat(deleted.path("ClusterId").asText()).isEqualTo(clusterId);
            JsonNode op = lp.awaitOperation(deleted.path("OperationId").asText());

            assertThat(op.path("OperationState").asText()).isEqualTo("SUCCESS");
            List<String> steps = new ArrayList<>();
            op.path("Steps").forEach(s -> steps.add(s.path("Action").asText() + " " + s.path("ApplicationName").asText("")));
            // reverse catalog order: Hive comes after Spark in the catalog, so it goes first; the namespace last
            assertThat(steps).containsExactly("undeploy Hive", "undeploy Spark", "undeploy Spark", "deleteNamespace ");

            assertThat(kube.apps().deployments().inNamespace(clusterId).withLabel(Labels.MANAGED_BY).list().getItems())
                    .isEmpty();
            assertThat(kube.configMaps().inNamespace(clusterId).withLabel(Labels.MANAGED_BY).list().getItems())
                    .isEmpty();
            assertThat(kube.secrets().inNamespace(clusterId).withLabel(Labels.MANAGED_BY).list().getItems()).isEmpty();
            LifecyclePlane.eventually("namespace " + clusterId + " is gone",
                    () -> kube.namespaces().withName(clusterId).get() == null);
            LifecyclePlane.eventually("no pods left", () -> kube.pods().inNamespace(clusterId).list().getItems().isEmpty());

            JsonNode cluster = lp.cluster(clusterId);
            assertThat(cluster.path("ClusterState").asText()).isEqualTo("DELETED");
            assertThat(cluster.path("DeleteTime").asLong()).isPositive();
            assertThat(lp.call("ListVirtualClusters", "{}").path("Items").findValuesAsText("ClusterId"))
                    .doesNotContain(clusterId);
            assertThat(lp.call("ListVirtualClusters", "{\"ClusterStates\":[\"DELETED\"]}").path("Items")
                    .findValuesAsText("ClusterId")).contains(clusterId);
            assertThat(lp.applications(clusterId).path("TotalCount").asLong()).isZero();
            assertThat(lp.error("DeleteVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}").code())
                    .isEqualTo("OperationDenied.ClusterState");
        }
    }
}
