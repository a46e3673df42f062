package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.Json;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * A restart with a secret and a non-secret applicationConfigs item: the secret value reaches the
 * Kubernetes Secret and the instance's current config, yet no column of the operation's row or of
 * its steps ever holds it, and nothing of it is left in the store's pending secret values once
 * the operation ended.
 */
class SecretConfigValuesStayOutOfOperationRecordsTest {
    private static final String SECRET = "Pl4in-S3cret-Never-Stored";
    private static final String BUFFER_KEY = "celeborn.worker.flusher.buffer.size";
    private static final String BUFFER = "512k";

    @StoreTest
    void restartAppliesTheSecretWithoutWritingItIntoTheOperation(StoreBackend backend) {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String clusterId = lp.runningCluster("secret-restart", LifecyclePlane.apps("Celeborn"));
            String master = "celeborn-master-" + clusterId.substring(4, 8);

            String operationId = lp.call("RunApplicationAction", restartBody(clusterId)).path("OperationId").asText();
            JsonNode op = lp.awaitOperation(operationId);

            assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
            Jdbi jdbi = lp.plane.database().jdbi();
            List<String> operationRow = columns(jdbi, "SELECT * FROM operations WHERE operation_id = :id", operationId);
            List<String> stepRows = columns(jdbi, "SELECT * FROM operation_steps WHERE operation_id = :id",
                    operationId);
            assertThat(operationRow).isNotEmpty().noneMatch(v -> v.contains(SECRET));
            assertThat(stepRows).isNotEmpty().noneMatch(v -> v.contains(SECRET));
            assertThat(String.join("\n", operationRow)).as("the non-secret item stays in params")
                    .contains(BUFFER_KEY).contains(BUFFER).contains("METRICS_PASSWORD");
            assertThat(op.toString()).doesNotContain(SECRET);
            long pending = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operation_secret_values")
                    .mapTo(Long.class).one());
            assertThat(pending).as("pending secret values left after the end").isZero();

            var kube = lp.kube();
            var secret = kube.secrets().inNamespace(clusterId).withName(master + "-secret").get();
            assertThat(decoded(secret.getData(), secret.getStringData(), "METRICS_PASSWORD")).isEqualTo(SECRET);
            Map<String, String> configMap = kube.configMaps().inNamespace(clusterId).withName(master + "-config").get()
                    .getData();
            assertThat(configMap.get("celeborn-defaults.conf")).contains(BUFFER_KEY + " " + BUFFER + "\n");
            assertThat(configMap.toString()).doesNotContain(SECRET);

            ConfigRepository configs = new ConfigRepository(jdbi);
            assertThat(configs.current(clusterId, master))
                    .anyMatch(r -> r.key().equals("METRICS_PASSWORD") && r.secret() && r.value().equals(SECRET))
                    .anyMatch(r -> r.key().equals(BUFFER_KEY) && r.value().equals(BUFFER));
            assertThat(configs.history(clusterId, "Celeborn", master, null, new Page.Request(100, 0)).items())
                    .filteredOn(h -> operationId.equals(h.operationId()))
                    .extracting(h -> h.key() + "=" + h.newValue())
                    .containsExactlyInAnyOrder("METRICS_PASSWORD=******", BUFFER_KEY + "=" + BUFFER);
        }
    }

    private static String restartBody(String clusterId) {
        String configs = ActionPlane.configs("celeborn-defaults.conf", BUFFER_KEY, BUFFER,
                "__envs__", "METRICS_PASSWORD", SECRET);
        ObjectNode body = Json.plain().createObjectNode().put("ClusterId", clusterId).put("ActionName", "restart")
                .put("ActionScope", "COMPONENT");
        body.putArray("Components").addObject().put("ApplicationName", "Celeborn").putArray("ComponentNames")
                .add("CelebornMaster");
        body.putArray("ActionParams").addObject().put("Key", "applicationConfigs").put("Value", configs);
        return body.toString();
    }

    /** Every column of every row the query finds, as text (nulls left out). */
    private static List<String> columns(Jdbi jdbi, String sql, String operationId) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("id", operationId).mapToMap().list()).stream()
                .flatMap(row -> row.values().stream()).filter(v -> v != null).map(String::valueOf)
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
    }

    /** A real API server turns stringData into base64 data; the sandbox keeps it as written. */
    private static String decoded(Map<String, String> data, Map<String, String> stringData, String key) {
        if (stringData != null && stringData.containsKey(key)) {
            return stringData.get(key);
        }
        return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }
}
