package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.catalog.ConfigItems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The config item limits of {@link ConfigItems}: every request that gives config items (CreateVirtualCluster,
 * DeployApplications, CreateComponentInstance, RunApplicationAction's applicationConfigs) is refused with 400
 * InvalidParameter naming the field, the count and the limit once it gives more than 500 items or a value over
 * 64 KiB; a change that would leave an instance with more than 1,000 items or half a MiB is refused naming the
 * instance. Nothing is stored for a refused request; requests exactly at a limit are accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@StartedPlanes.Shared
class ConfigItemsOverTheLimitsAreRefusedTest {
    private static final int OVER = ConfigItems.MAX_ITEMS_PER_REQUEST + 1;

    private ActionPlane plane;
    private String clusterId;

    @BeforeAll
    void startWithARayCluster() {
        clusterId = plane.runningCluster("limits", "Ray");
    }

    @Test
    void createVirtualClusterOverTheRequestLimitIsRefusedNamingFieldCountAndLimit() {
        long clusters = plane.call("ListVirtualClusters", Map.of()).path("TotalCount").asLong();

        JsonNode one = plane.error("CreateVirtualCluster", createBody(List.of(rayWith(envItems("K", OVER)))));
        JsonNode split = plane.error("CreateVirtualCluster", createBody(List.of(
                Map.of("ApplicationName", "Spark", "ApplicationConfigs", envItems("S", 300)),
                rayWith(envItems("R", 201)))));

        assertRefused(one, "Applications.1.ApplicationConfigs", OVER, ConfigItems.MAX_ITEMS_PER_REQUEST);
        assertRefused(split, "Applications.2.ApplicationConfigs", OVER, ConfigItems.MAX_ITEMS_PER_REQUEST);
        assertThat(plane.call("ListVirtualClusters", Map.of()).path("TotalCount").asLong()).isEqualTo(clusters);
    }

    @Test
    void everyOtherRequestGivingItemsIsRefusedOverTheRequestLimit() {
        long operations = operationCount();

        JsonNode deploy = plane.error("DeployApplications", Map.of("ClusterId", clusterId, "Applications",
                List.of(Map.of("ApplicationName", "Spark", "ApplicationConfigs", envItems("K", OVER)))));
        JsonNode instance = plane.error("CreateComponentInstance", instanceBody("rc-over", envItems("K", OVER)));
        JsonNode restart = plane.error("RunApplicationAction", restartBody("raycluster-" + ActionPlane.suffix(
                clusterId), newEnvConfigs("K", OVER, 1), false));

        assertRefused(deploy, "Applications.1.ApplicationConfigs", OVER, ConfigItems.MAX_ITEMS_PER_REQUEST);
        assertRefused(instance, "ApplicationConfigs", OVER, ConfigItems.MAX_ITEMS_PER_REQUEST);
        assertRefused(restart, "ActionParams.2.Value (applicationConfigs)", OVER, ConfigItems.MAX_ITEMS_PER_REQUEST);
        assertThat(operationCount()).as("no operation for a refused request").isEqualTo(operations);
        assertThat(plane.instances(clusterId)).doesNotContainKey("rc-over");
    }

    @Test
    void aValueOverTheLengthLimitIsRefusedNamingItsField() {
        String tooLong = "v".repeat(ConfigItems.MAX_VALUE_LENGTH + 1);

        JsonNode create = plane.error("CreateVirtualCluster", createBody(List.of(rayWith(List.of(
                item("__envs__", "A", "fine"), item("__envs__", "B", tooLong))))));
        JsonNode restart = plane.error("RunApplicationAction", restartBody("raycluster-"
                + ActionPlane.suffix(clusterId), ActionPlane.configs("__envs__", "B", tooLong), false));

        assertRefused(create, "Applications.1.ApplicationConfigs.2.ConfigItemValue",
                ConfigItems.MAX_VALUE_LENGTH + 1, ConfigItems.MAX_VALUE_LENGTH);
        assertRefused(restart, "ActionParams.2.Value[1].configItemValue", ConfigItems.MAX_VALUE_LENGTH + 1,
                ConfigItems.MAX_VALUE_LENGTH);
    }

    @Test
    void aChangeThatWouldLeaveAnInstanceOverTheItemLimitIsRefusedNamingTheInstance() {
        // 500 items (the request limit) plus the 7 catalog defaults of the files RayCluster mounts
        plane.awaitOperation(plane.call("CreateComponentInstance", instanceBody("rc-full", envItems("K", 500)))
                .path("OperationId").asText());
        int held = ConfigItems.MAX_ITEMS_PER_REQUEST + defaultsOfRayCluster();
        int room = ConfigItems.MAX_ITEMS_PER_INSTANCE - held;

        JsonNode over = plane.error("RunApplicationAction", restartBody("rc-full", newEnvConfigs("N", room + 1, 1),
                false));
        JsonNode atTheLimit = plane.call("RunApplicationAction", restartBody("rc-full", newEnvConfigs("N", room, 1),
                true));
        JsonNode sameKeysAgain = plane.call("RunApplicationAction", restartBody("rc-full",
                newEnvConfigs("K", ConfigItems.MAX_ITEMS_PER_REQUEST, 7), true));

        assertRefused(over, "ActionParams.2.Value (applicationConfigs)", ConfigItems.MAX_ITEMS_PER_INSTANCE + 1,
                ConfigItems.MAX_ITEMS_PER_INSTANCE);
        assertThat(over.path("Message").asText()).contains("rc-full");
        assertThat(plane.awaitOperation(atTheLimit.path("OperationId").asText()).path("OperationState").asText())
                .as("a dry run exactly at the instance limit").isEqualTo("SKIP");
        assertThat(plane.awaitOperation(sameKeysAgain.path("OperationId").asText()).path("OperationState").asText())
                .as("changing existing keys adds none").isEqualTo("SKIP");
        assertThat(plane.instances(clusterId).get("rc-full").path("ConfigVersion").asInt()).isEqualTo(1);
    }

    @Test
    void itemsThatWouldLeaveAnInstanceOverHalfAMebibyteAreRefusedNamingTheInstanceAndTheBytes() {
        String big = "b".repeat(60_000);
        List<Map<String, String>> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(item("__envs__", "BIG_" + i, big));
        }
        List<Map<String, String>> nine = new ArrayList<>(eight);
        nine.add(item("__envs__", "BIG_8", big));

        JsonNode create = plane.error("CreateComponentInstance", instanceBody("rc-heavy", nine));
        plane.awaitOperation(plane.call("CreateComponentInstance", instanceBody("rc-heavy", eight))
                .path("OperationId").asText());
        JsonNode restart = plane.error("RunApplicationAction", restartBody("rc-heavy",
                ActionPlane.configs("__envs__", "BIG_8", big), false));

        assertRefused(create, "ApplicationConfigs", null, ConfigItems.MAX_INSTANCE_BYTES);
        assertThat(create.path("Message").asText()).contains("rc-heavy", "bytes");
        assertRefused(restart, "ActionParams.2.Value (applicationConfigs)", null, ConfigItems.MAX_INSTANCE_BYTES);
        assertThat(restart.path("Message").asText()).contains("rc-heavy", "bytes");
    }

    // --- requests ----------------------------------------------------------------------------

    private static Map<String, Object> createBody(List<Map<String, Object>> applications) {
        return Map.of("ClusterName", "over-the-limit", "ReleaseVersion", ActionPlane.RELEASE,
                "VkeCluster", Map.of("VkeClusterId", "sandbox"), "Applications", applications);
    }

    private static Map<String, Object> rayWith(List<Map<String, String>> items) {
        return Map.of("ApplicationName", "Ray", "ApplicationConfigs", items);
    }

    private Map<String, Object> instanceBody(String releaseName, List<Map<String, String>> items) {
        return Map.of("ClusterId", clusterId, "ApplicationName", "Ray", "ComponentName", "RayCluster",
                "ReleaseName", releaseName, "ApplicationConfigs", items);
    }

    private Map<String, Object> restartBody(String releaseName, String applicationConfigs, boolean dryRun) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("releaseName", releaseName);
        params.put("applicationConfigs", applicationConfigs);
        if (dryRun) {
            params.put("dryRun", "true");
        }
        return ActionPlane.action(clusterId, "restart", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"), params);
    }

    /** {@code count} __envs__ items {ConfigFileName, ConfigItemKey, ConfigItemValue}, keys {@code prefix_N}. */
    private static List<Map<String, String>> envItems(String prefix, int count) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(item("__envs__", prefix + "_" + i, "value-" + i));
        }
        return out;
    }

    /** applicationConfigs with {@code count} __envs__ items, keys {@code prefix_N}, values {@code vN}. */
    private static String newEnvConfigs(String prefix, int count, int version) {
        String[] fileKeyValue = new String[count * 3];
        for (int i = 0; i < count; i++) {
            fileKeyValue[3 * i] = "__envs__";
            fileKeyValue[3 * i + 1] = prefix + "_" + i;
            fileKeyValue[3 * i + 2] = "v" + version + "-" + i;
        }
        return ActionPlane.configs(fileKeyValue);
    }

    private static Map<String, String> item(String file, String key, String value) {
        return Map.of("ConfigFileName", file, "ConfigItemKey", key, "ConfigItemValue", value);
    }

    // --- checks ------------------------------------------------------------------------------

    private static int defaultsOfRayCluster() {
        return ConfigItem.defaultsOf(RuntimeFixtures.app("Ray"), RuntimeFixtures.component("Ray", "RayCluster"))
                .size();
    }

    private long operationCount() {
        return plane.call("ListOperations", Map.of()).path("TotalCount").asLong();
    }

    /** 400 InvalidParameter naming the field, the count (when given) and the limit. */
    private static void assertRefused(JsonNode error, String field, Integer count, int limit) {
        assertThat(error.path("HttpStatus").asInt()).as(error.toString()).isEqualTo(400);
        assertThat(error.path("Code").asText()).isEqualTo("InvalidParameter");
        String message = error.path("Message").asText();
        assertThat(message).startsWith(field + " ").contains(" " + limit + " ");
        if (count != null) {
            assertThat(message).contains(" " + count + " ");
        }
    }
}
