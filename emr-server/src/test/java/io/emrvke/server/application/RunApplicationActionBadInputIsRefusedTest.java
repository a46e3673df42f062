package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static io.emrvke.server.application.ActionPlane.configs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad RunApplicationAction request gets its documented code and a message naming the
 * field, through the official SDK; none of them starts an operation.
 */
@StartedPlanes.Shared
class RunApplicationActionBadInputIsRefusedTest {
    private static ActionPlane plane;
    private static String clusterId;

    @BeforeAll
    static void start() {
        clusterId = plane.runningCluster("bad-input", "Ray", "Celeborn");
        plane.addRayCluster(clusterId, "ray-b");
    }

    private static Map<String, Object> restartRay(Map<String, String> params) {
        return action(clusterId, "restart", "COMPONENT", "Ray", List.of("RayCluster"), params);
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.remove(field);
        return copy;
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static void refused(Map<String, Object> body, String code, String... messageParts) {
        JsonNode error = plane.error("RunApplicationAction", body);
        assertThat(error.path("Code").asText()).as(error.toString()).isEqualTo(code);
        if (messageParts.length > 0) {
            assertThat(error.path("Message").asText()).contains(messageParts);
        }
    }

    @Test
    void missingRequiredFieldsAreMissingParameter() {
        Map<String, Object> ok = restartRay(Map.of("releaseName", "ray-b"));
        for (String field : List.of("ClusterId", "ActionName", "ActionScope", "Components")) {
            refused(without(ok, field), "MissingParameter", field);
        }
        refused(with(ok, "Components", List.of()), "InvalidParameter", "Components");
        refused(action(clusterId, "restart", "COMPONENT", "Ray", List.of(), Map.of()), "MissingParameter",
                "Components.1.ComponentNames");
    }

    @Test
    void unknownActionNameAndScopeListTheAcceptedValues() {
        Map<String, Object> ok = restartRay(Map.of("releaseName", "ray-b"));
        refused(with(ok, "ActionName", "reboot"), "InvalidParameter", "ActionName", "start, stop, restart");
        refused(with(ok, "ActionScope", "CLUSTER"), "InvalidParameter", "ActionScope",
                "APPLICATION, COMPONENT, COMPONENT_INSTANCE");
    }

    @Test
    void unknownOrUnfitClusterApplicationComponentAndInstanceGetTheirNotFoundOrStateCodes() {
        refused(with(restartRay(Map.of()), "ClusterId", "emr-aaaaaaaaaaaaaaaaaaaa"), "NotFound.Cluster",
                "emr-aaaaaaaaaaaaaaaaaaaa");
        refused(action(clusterId, "restart", "COMPONENT", "Flink", List.of("JobManager"), Map.of()),
                "NotFound.Application", "Components.1.ApplicationName", "Flink");
        refused(action(clusterId, "restart", "COMPONENT", "Spark", List.of("SparkOperator"), Map.of()),
                "NotFound.Application", "Spark", "not deployed");
        refused(action(clusterId, "restart", "COMPONENT", "Ray", List.of("RayHead"), Map.of()),
                "NotFound.Component", "Components.1.ComponentNames.1", "RayHead");
        refused(restartRay(Map.of("releaseName", "ray-zz")), "NotFound.ComponentInstance", "releaseName", "ray-zz");
        refused(restartRay(Map.of("releaseName", "celeborn-master-" + ActionPlane.suffix(clusterId))),
                "NotFound.ComponentInstance");
        refused(restartRay(Map.of()), "MissingParameter", "releaseName", "ray-b",
                "raycluster-" + ActionPlane.suffix(clusterId));
        refused(action(clusterId, "stop", "COMPONENT_INSTANCE", "Celeborn", List.of("CelebornMaster"), Map.of()),
                "MissingParameter", "releaseName");
    }

    @Test
    void aClusterNotRunningOrAnApplicationNotInstalledIsOperationDenied() {
        String other = plane.runningCluster("not-installed", "Ray");
        plane.server.plane().database().jdbi().useTransaction(h -> new ApplicationRepository(
                plane.server.plane().database().jdbi()).updateState(h, other, List.of("Ray"),
                ApplicationState.INSTALL_FAILED, "test", System.currentTimeMillis()));
        refused(action(other, "restart", "APPLICATION", "Ray", List.of(), Map.of()),
                "OperationDenied.ApplicationState", "INSTALL_FAILED");

        JsonNode deleted = plane.call("DeleteVirtualCluster", Map.of("ClusterId", other));
        plane.awaitOperation(deleted.path("OperationId").asText());
        refused(action(other, "restart", "APPLICATION", "Ray", List.of(), Map.of()),
                "OperationDenied.ClusterState", "DELETED");
    }

    @Test
    void badActionParamsNameTheirPosition() {
        refused(restartRay(Map.of("releaseName", "ray-b", "applicationConfigs", "not json")), "InvalidParameter",
                "applicationConfigs", "not valid JSON");
        refused(restartRay(Map.of("releaseName", "ray-b", "applicationConfigs", "{\"a\":1}")), "InvalidParameter",
                "JSON array");
        refused(restartRay(Map.of("releaseName", "ray-b", "applicationConfigs",
                        configs("ray-cluster-values.yaml", "worker_replicas", "3", "zoo.cfg", "tickTime", "1"))),
                "InvalidParameter", "Value[2].configFileName", "zoo.cfg");
        refused(restartRay(Map.of("releaseName", "ray-b", "applicationConfigs",
                        configs("__envs__", "A", "1", "__envs__", "bad key!", "x"))),
                "InvalidParameter", "Value[2].configItemKey");
        refused(restartRay(Map.of("releaseName", "ray-b", "applicationConfigs",
                        configs("ray-cluster-values.yaml", "worker_replicas", "lots"))),
                "InvalidParameter", "worker_replicas");
        refused(action(clusterId, "stop", "COMPONENT", "Ray", List.of("RayCluster"), Map.of("releaseName", "ray-b",
                "applicationConfigs", configs("__envs__", "A", "1"))), "InvalidParameter", "restart");
        refused(restartRay(Map.of("releaseName", "ray-b", "parallelism", "2")), "InvalidParameter", "Key",
                "releaseName, applicationConfigs, batchSize");
        refused(restartRay(Map.of("releaseName", "ray-b", "batchSize", "0")), "InvalidParameter", "batchSize");
        refused(restartRay(Map.of("releaseName", "ray-b", "batchSize", "two")), "InvalidParameter", "batchSize");
        refused(restartRay(Map.of("releaseName", "ray-b", "timeoutSeconds", "0")), "InvalidParameter",
                "timeoutSeconds");
        refused(restartRay(Map.of("releaseName", "ray-b", "timeoutSeconds", "-5")), "InvalidParameter",
                "timeoutSeconds");
        refused(restartRay(Map.of("releaseName", "ray-b", "batchIntervalSeconds", "-1")), "InvalidParameter",
                "batchIntervalSeconds");
        refused(restartRay(Map.of("releaseName", "ray-b", "failureStrategy", "RETRY")), "InvalidParameter",
                "failureStrategy", "BLOCK, CONTINUE");
        refused(restartRay(Map.of("releaseName", "ray-b", "dryRun", "maybe")), "InvalidParameter", "dryRun");
        refused(restartRay(Map.of("releaseName", "ray-b,,x")), "InvalidParameter", "releaseName");

        JsonNode ops = plane.call("ListOperations", Map.of("ClusterIds", List.of(clusterId),
                "OperationNames", List.of("RunApplicationAction")));
        assertThat(ops.path("TotalCount").asInt()).as("no refused request started an operation").isZero();
    }
}
