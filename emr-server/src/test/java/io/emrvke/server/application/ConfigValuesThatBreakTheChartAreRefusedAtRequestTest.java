package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Config values that make an instance's chart fail to render are refused when the request arrives, by
 * CreateVirtualCluster, DeployApplications, CreateComponentInstance and RunApplicationAction restart with
 * applicationConfigs alike: 400 InvalidParameter naming the request field and the chart, no operation, no
 * cluster, application, instance or config version written, and no secret value of the request in the message,
 * even where helm's error quotes it.
 */
class ConfigValuesThatBreakTheChartAreRefusedAtRequestTest {
    /** A string where the chart needs a map: helm template fails (with the catalog's cpu/memory items set). */
    private static final String NOT_A_MAP = "oops";

    @Test
    void eachRequestThatWouldBreakAChartIsRefusedNamingTheFieldAndCreatesNothing() {
        try (ActionPlane plane = ActionPlane.start()) {
            refusesCreateVirtualCluster(plane);

            String clusterId = plane.runningCluster("broken-values", "Ray");
            String raycluster = "raycluster-" + ActionPlane.suffix(clusterId);
            long operations = operationCount(plane);

            refusesDeployApplications(plane, clusterId);
            assertThat(operationCount(plane)).isEqualTo(operations);
            assertThat(plane.call("ListApplications", Map.of("ClusterId", clusterId)).path("Items").findValuesAsText(
                    "ApplicationName")).containsExactly("Ray");

            refusesCreateComponentInstance(plane, clusterId);
            assertThat(operationCount(plane)).isEqualTo(operations);
            assertThat(plane.instances(clusterId)).containsOnlyKeys(raycluster, "kuberay-operator-"
                    + ActionPlane.suffix(clusterId));

            refusesRestartWithApplicationConfigs(plane, clusterId);
            assertThat(operationCount(plane)).isEqualTo(operations);
            JsonNode configs = plane.call("ListApplicationConfigs", Map.of("ClusterId", clusterId,
                    "ApplicationName", "Ray", "MaxResults", 100));
            assertThat(configs.path("Items").findValues("ConfigVersion")).as("no new config version")
                    .isNotEmpty().allMatch(v -> v.asInt() == 1);
            assertThat(configs.path("Items").findValuesAsText("ConfigItemKey"))
                    .doesNotContain("head.resources", "emr.secretEnv", "RAY_REDIS_PASSWORD");
        }
    }

    private static void refusesCreateVirtualCluster(ActionPlane plane) {
        String secret = "s3cret-of-the-create";
        Map<String, Object> ray = Map.of("ApplicationName", "Ray", "ApplicationConfigs", List.of(
                item("ray-cluster-values.yaml", "head.resources", NOT_A_MAP),
                item("__envs__", "RAY_REDIS_PASSWORD", secret)));
        JsonNode error = plane.error("CreateVirtualCluster", Map.of("ClusterName", "never",
                "ReleaseVersion", ActionPlane.RELEASE, "VkeCluster", Map.of("VkeClusterId", "sandbox"),
                "Applications", List.of(Map.of("ApplicationName", "Spark"), ray)));

        assertRefused(error, "Applications.2.ApplicationConfigs", "raycluster", secret);
        assertThat(plane.call("ListVirtualClusters", Map.of()).path("TotalCount").asLong()).isZero();
        assertThat(operationCount(plane)).isZero();
    }

    private static void refusesDeployApplications(ActionPlane plane, String clusterId) {
        String secret = "s3cret-of-the-deploy";
        JsonNode error = plane.error("DeployApplications", Map.of("ClusterId", clusterId, "Applications",
                List.of(Map.of("ApplicationName", "Spark", "ApplicationConfigs", List.of(
                        item("spark-operator-values.yaml", "resources", NOT_A_MAP),
                        item("__envs__", "SPARK_TOKEN", secret))))));

        assertRefused(error, "Applications.1.ApplicationConfigs", "spark-operator", secret);
    }

    private static void refusesCreateComponentInstance(ActionPlane plane, String clusterId) {
        String secret = "s3cret-of-the-instance";
        JsonNode error = plane.error("CreateComponentInstance", Map.of("ClusterId", clusterId,
                "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", "ray-broken",
                "ApplicationConfigs", List.of(item("ray-cluster-values.yaml", "head.resources", NOT_A_MAP),
                        item("__envs__", "RAY_REDIS_PASSWORD", secret))));

        assertRefused(error, "ApplicationConfigs", "raycluster", secret);
    }

    /** Here the breaking item is the secret one, and helm's error quotes its value: the message masks it. */
    private static void refusesRestartWithApplicationConfigs(ActionPlane plane, String clusterId) {
        String secret = "s3cret-helm-quotes";
        JsonNode error = plane.error("RunApplicationAction", ActionPlane.action(clusterId, "restart", "COMPONENT",
                "Ray", List.of("RayCluster"), Map.of("applicationConfigs",
                        ActionPlane.configs("ray-cluster-values.yaml", "emr.secretEnv", secret))));

        assertRefused(error, "ActionParams.1.Value (applicationConfigs)", "raycluster", secret);
        assertThat(error.path("Message").asText()).contains("range can't iterate over ******");
    }

    private static void assertRefused(JsonNode error, String field, String chart, String secret) {
        String message = error.path("Message").asText();
        assertThat(error.path("HttpStatus").asInt()).as(message).isEqualTo(400);
        assertThat(error.path("Code").asText()).as(message).isEqualTo("InvalidParameter");
        assertThat(message).startsWith(field + " would make chart " + chart + " fail to render")
                .doesNotContain(secret);
    }

    private static Map<String, Object> item(String file, String key, String value) {
        return Map.of("ConfigFileName", file, "ConfigItemKey", key, "ConfigItemValue", value);
    }

    private static long operationCount(ActionPlane plane) {
        return plane.call("ListOperations", Map.of()).path("TotalCount").asLong();
    }
}
