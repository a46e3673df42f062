package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;

class DeployAndUndeployApplicationsTest {

    @StoreTest
    void dependenciesDecideWhatMayBeDeployedAndUndeployed(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String clusterId = lp.runningCluster("apps", "[]");
            String id = "\"ClusterId\":\"" + clusterId + "\"";

            EmrApiException kyuubiAlone = lp.error("DeployApplications", "{" + id + ",\"Applications\":"
                    + LifecyclePlane.apps("Kyuubi") + "}");
            assertThat(kyuubiAlone.code()).isEqualTo("InvalidParameter");
            assertThat(kyuubiAlone.apiMessage()).contains("Applications", "Kyuubi", "Spark");

            JsonNode deployed = lp.call("DeployApplications", "{" + id + ",\"Applications\":"
                    + LifecyclePlane.apps("Kyuubi", "Spark") + ",\"ClientToken\":\"deploy-1\"}");
            JsonNode op = lp.awaitOperation(deployed.path("OperationId").asText());
            assertThat(op.path("OperationState").asText()).isEqualTo("SUCCESS");
            assertThat(op.path("OperationName").asText()).isEqualTo("DeployApplications");
            assertThat(lp.applications(clusterId).path("Items").findValuesAsText("ApplicationState"))
                    .containsOnly("INSTALLED").hasSize(2);

            EmrApiException again = lp.error("DeployApplications", "{" + id + ",\"Applications\":"
                    + LifecyclePlane.apps("Spark") + "}");
            assertThat(again.code()).isEqualTo("OperationDenied.ApplicationState");
            assertThat(again.apiMessage()).contains("Spark", "INSTALLED");

            EmrApiException sparkFirst = lp.error("UndeployApplications", "{" + id
                    + ",\"ApplicationNames\":[\"spark\"]}");
            assertThat(sparkFirst.code()).isEqualTo("InvalidParameter");
            assertThat(sparkFirst.apiMessage()).contains("ApplicationNames", "Kyuubi");

            EmrApiException notDeployed = lp.error("UndeployApplications", "{" + id + ",\"ApplicationNames\":[\"Ray\"]}");
            assertThat(notDeployed.code()).isEqualTo("NotFound.Application");

            JsonNode undeployed = lp.call("UndeployApplications", "{" + id + ",\"ApplicationNames\":[\"Kyuubi\"]}");
            assertThat(lp.awaitOperation(undeployed.path("OperationId").asText()).path("OperationState").asText())
                    .isEqualTo("SUCCESS");
            assertThat(lp.applications(clusterId).path("Items").findValuesAsText("ApplicationName"))
                    .containsExactly("Spark");
            String kyuubiRelease = "kyuubi-server-" + clusterId.substring(4, 8);
            assertThat(lp.kube().apps().deployments().inNamespace(clusterId).withName(kyuubiRelease).get()).isNull();
            var jdbi = lp.plane.database().jdbi();
            assertThat(new InstanceRepository(jdbi).listByApplication(clusterId, "Kyuubi")).isEmpty();
            assertThat(new ConfigRepository(jdbi).current(clusterId, kyuubiRelease)).isEmpty();

            // with Kyuubi gone, Spark may go too
            JsonNode sparkGone = lp.call("UndeployApplications", "{" + id + ",\"ApplicationNames\":\"Spark\"}");
            assertThat(lp.awaitOperation(sparkGone.path("OperationId").asText()).path("OperationState").asText())
                    .isEqualTo("SUCCESS");
            assertThat(lp.applications(clusterId).path("TotalCount").asLong()).isZero();
        }
    }

    @StoreTest
    void requestItemsOverrideDefaultsAndHistoryOutlivesUndeploy(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String clusterId = lp.runningCluster("cfg", "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":["
                    + "{\"ConfigFileName\":\"hive-site.xml\",\"ConfigItemKey\":\"hive.metastore.port\","
                    + "\"ConfigItemValue\":\"9999\"}]}]");
            var jdbi = lp.plane.database().jdbi();
            String release = "hive-metastore-" + clusterId.substring(4, 8);
            ConfigRepository configs = new ConfigRepository(jdbi);
            assertThat(configs.current(clusterId, release)).anyMatch(r -> r.key().equals("hive.metastore.port")
                    && r.value().equals("9999")).anyMatch(r -> r.key().equals("hive.metastore.warehouse.dir"));
            assertThat(lp.kube().configMaps().inNamespace(clusterId).withName(release + "-config").get()
                    .getData().toString()).contains("9999");

            JsonNode gone = lp.call("UndeployApplications", "{\"ClusterId\":\"" + clusterId
                    + "\",\"ApplicationNames\":[\"Hive\"]}");
            lp.awaitOperation(gone.path("OperationId").asText());
            assertThat(configs.current(clusterId, release)).isEmpty();
            assertThat(configs.history(clusterId, "Hive", release, null, new Page.Request(10, 0)).items())
                    .extracting(ConfigHistoryRow::newValue).containsExactly("9999");
        }
    }
}
