package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.api.client.RawResponse;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

class SecretConfigIsRedactedTest {
    private static final String SECRET = "Sup3r-S3cret-Value";

    @StoreTest
    void secretValuesReachOnlyTheStoreAndTheKubernetesSecret(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            JsonNode created = lp.call("CreateVirtualCluster", LifecyclePlane.createBody("secrets",
                    "[{\"ApplicationName\":\"Hive\",\"ApplicationConfigs\":[{\"ConfigFileName\":\"hive-site.xml\","
                            + "\"ConfigItemKey\":\"javax.jdo.option.ConnectionPassword\",\"ConfigItemValue\":\""
                            + SECRET + "\"},{\"ConfigFileName\":\"hive-site.xml\",\"ConfigItemKey\":"
                            + "\"hive.metastore.port\",\"ConfigItemValue\":\"9090\"}]}]"));
            String clusterId = created.path("ClusterId").asText();
            String operationId = created.path("OperationId").asText();
            JsonNode op = lp.awaitOperation(operationId);
            assertThat(op.path("OperationState").asText()).isEqualTo("SUCCESS");

            String content = op.path("Content").asText();
            assertThat(content).contains("javax.jdo.option.ConnectionPassword", "******", "9090").doesNotContain(SECRET);
            for (String[] call : new String[][] {
                    {"GetOperation", "{\"OperationId\":\"" + operationId + "\"}"},
                    {"ListOperations", "{}"},
                    {"GetVirtualCluster", "{\"ClusterId\":\"" + clusterId + "\"}"},
                    {"ListApplications", "{\"ClusterId\":\"" + clusterId + "\"}"}}) {
                RawResponse raw = lp.admin.callRaw(call[0], call[1]);
                assertThat(raw.isSuccess()).as(call[0]).isTrue();
                assertThat(raw.body()).as(call[0]).doesNotContain(SECRET);
            }

            String release = "hive-metastore-" + clusterId.substring(4, 8);
            ConfigRepository configs = new ConfigRepository(lp.plane.database().jdbi());
            assertThat(configs.current(clusterId, release)).anyMatch(r -> r.secret() && r.value().equals(SECRET));
            assertThat(configs.history(clusterId, "Hive", release, null, new Page.Request(10, 0)).items())
                    .noneMatch(h -> SECRET.equals(h.newValue()) || SECRET.equals(h.oldValue()))
                    .anyMatch(h -> h.secret() && "******".equals(h.newValue()));

            var kube = lp.kube();
            // a real API server turns stringData into base64 data; the sandbox keeps it as written
            var secret = kube.secrets().inNamespace(clusterId).withName(release + "-secret").get();
            Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
            Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
            assertThat(data.values().stream().map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))
                    .anyMatch(v -> v.contains(SECRET)) || stringData.values().stream().anyMatch(v -> v.contains(SECRET)))
                    .as("the Secret holds the value").isTrue();
            assertThat(kube.configMaps().inNamespace(clusterId).withName(release + "-config").get().getData()
                    .toString()).doesNotContain(SECRET).contains("9090");
        }
    }
}
