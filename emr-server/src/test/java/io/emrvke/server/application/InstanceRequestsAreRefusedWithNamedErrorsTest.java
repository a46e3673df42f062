package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad instance or config request gets its documented code and a message naming the field or thing. */
@StartedPlanes.Own
class InstanceRequestsAreRefusedWithNamedErrorsTest {
    private static RayPlane ray;

    private static Map<String, Object> create(String releaseName) {
        Map<String, Object> body = new HashMap<>();
        body.put("ClusterId", ray.clusterId);
        body.put("ApplicationName", "Ray");
        body.put("ComponentName", "RayCluster");
        body.put("ReleaseName", releaseName);
        return body;
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    private static void assertError(EmrApiException e, int status, String code, String... inMessage) {
        assertThat(e.httpStatus()).as(e.apiMessage()).isEqualTo(status);
        assertThat(e.code()).as(e.apiMessage()).isEqualTo(code);
        for (String part : inMessage) {
            assertThat(e.apiMessage()).contains(part);
        }
    }

    @Test
    void nonMultiInstanceComponentTakesNoExtraInstance() {
        assertError(ray.error("CreateComponentInstance", with(create("op-2"), "ComponentName", "KubeRayOperator")),
                400, "InvalidParameter", "ComponentName", "multi-instance", "RayCluster");
    }

    @Test
    void duplicateReleaseNameIsRefusedNamingIt() {
        assertError(ray.error("CreateComponentInstance", create(ray.defaultRayCluster)), 400, "InvalidParameter",
                "ReleaseName", ray.defaultRayCluster, "already");
        assertError(ray.error("CreateComponentInstance", create(ray.operator)), 400, "InvalidParameter",
                "ReleaseName", ray.operator);
    }

    @Test
    void releaseNameMustBeAShortDnsLabel() {
        assertError(ray.error("CreateComponentInstance", with(create(null), "ReleaseName", null)), 400,
                "MissingParameter", "ReleaseName");
        assertError(ray.error("CreateComponentInstance", create("Ray_Batch")), 400, "InvalidParameter",
                "ReleaseName", "DNS label");
        assertError(ray.error("CreateComponentInstance", create("-ray")), 400, "InvalidParameter", "ReleaseName");
        assertError(ray.error("CreateComponentInstance", create("r".repeat(54))), 400, "InvalidParameter",
                "ReleaseName", "53");
        assertError(ray.error("CreateComponentInstance", with(create("x"), "ReleaseName", 7)), 400,
                "InvalidParameter", "ReleaseName");
    }

    @Test
    void unknownClusterApplicationComponentAndInstanceAreNotFound() {
        assertError(ray.error("CreateComponentInstance", with(create("a1"), "ClusterId", "emr-nosuchcluster000000")),
                404, "NotFound.Cluster");
        assertError(ray.error("CreateComponentInstance", with(create("a1"), "ApplicationName", "Spark")),
                404, "NotFound.Application", "ApplicationName", "Spark", "Ray");
        assertError(ray.error("CreateComponentInstance", with(create("a1"), "ComponentName", "RayWorker")),
                404, "NotFound.Component", "ComponentName", "RayWorker");
        assertError(ray.error("DeleteComponentInstance", create("no-such-ray")), 404, "NotFound.ComponentInstance",
                "ReleaseName", "no-such-ray");
        assertError(ray.error("DeleteComponentInstance", with(create(ray.operator), "ComponentName", "RayCluster")),
                404, "NotFound.ComponentInstance", ray.operator);
        assertError(ray.error("ListApplicationConfigs", Map.of("ClusterId", ray.clusterId, "ApplicationName", "Ray",
                "ReleaseName", "nope")), 404, "NotFound.ComponentInstance", "ReleaseName");
        assertError(ray.error("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "ApplicationNames", List.of("Hive"))), 404, "NotFound.Application", "ApplicationNames.1");
        assertError(ray.error("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "ComponentNames", List.of("RayCluster", "Nope"))), 404, "NotFound.Component", "ComponentNames.2");
        assertError(ray.error("ListComponents", Map.of()), 400, "MissingParameter", "ClusterId");
    }

    @Test
    void applicationConfigsAreValidatedPerField() {
        assertError(ray.error("CreateComponentInstance", with(create("c1"), "ApplicationConfigs", List.of(
                Map.of("ConfigFileName", "zoo.cfg", "ConfigItemKey", "k", "ConfigItemValue", "v")))),
                400, "InvalidParameter", "ApplicationConfigs.1.ConfigFileName", "zoo.cfg");
        assertError(ray.error("CreateComponentInstance", with(create("c1"), "ApplicationConfigs", List.of(
                Map.of("ConfigFileName", "__envs__", "ConfigItemKey", "A", "ConfigItemValue", "v"),
                Map.of("ConfigFileName", "__envs__", "ConfigItemKey", "1bad", "ConfigItemValue", "v")))),
                400, "InvalidParameter", "ApplicationConfigs.2.ConfigItemKey", "1bad");
        assertError(ray.error("CreateComponentInstance", with(create("c1"), "ApplicationConfigs", List.of(
                Map.of("ConfigFileName", "__envs__", "ConfigItemKey", "A")))),
                400, "MissingParameter", "ApplicationConfigs.1.ConfigItemValue");
        assertError(ray.error("CreateComponentInstance", with(create("c1"), "ApplicationConfigs", List.of(
                Map.of("ConfigFileName", "ray-cluster-values.yaml", "ConfigItemKey", "worker_replicas",
                        "ConfigItemValue", "lots")))),
                400, "InvalidParameter", "worker_replicas");
        assertError(ray.error("CreateComponentInstance", with(create("c1"), "ApplicationConfigs", "x")),
                400, "InvalidParameter", "ApplicationConfigs");
        assertError(ray.error("ListApplicationConfigHistories", Map.of("ClusterId", ray.clusterId,
                "ApplicationName", "Ray", "ConfigFileName", "hive-site.xml")), 400, "InvalidParameter",
                "ConfigFileName", "hive-site.xml");
        assertThat(ray.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId,
                "ReleaseNames", List.of("c1"))).path("TotalCount").asInt()).as("nothing was created").isZero();
    }

    @Test
    void onlyInstanceOfAComponentIsNotDeleted() {
        assertError(ray.error("DeleteComponentInstance", with(create(ray.operator), "ComponentName",
                "KubeRayOperator")), 400, "InvalidParameter", "ReleaseName", ray.operator, "UndeployApplications");
        assertError(ray.error("DeleteComponentInstance", create(ray.defaultRayCluster)), 400, "InvalidParameter",
                "only instance");
    }

    @Test
    void clusterThatIsNotRunningTakesNoInstance() {
        var jdbi = ray.plane.database().jdbi();
        jdbi.useHandle(h -> new ClusterRepository(jdbi).updateState(h, ray.clusterId, ClusterState.INIT_FAILED,
                "test", System.currentTimeMillis()));
        try {
            assertError(ray.error("CreateComponentInstance", create("late")), 409, "OperationDenied.ClusterState",
                    "INIT_FAILED");
        } finally {
            jdbi.useHandle(h -> new ClusterRepository(jdbi).updateState(h, ray.clusterId, ClusterState.RUNNING,
                    null, System.currentTimeMillis()));
        }
    }

    @Test
    void readonlyCallerCannotCreate() {
        var readonly = ray.plane.credentials().create(io.emrvke.server.account.NewCredential.generated(
                ray.credential.accountId(), "viewer", io.emrvke.server.account.Role.READONLY));
        var client = io.emrvke.api.client.EmrClient.builder().endpoint("127.0.0.1:" + ray.plane.port())
                .credentials(readonly.accessKeyId(), readonly.secretKey()).build();
        try {
            client.call("CreateComponentInstance", create("ro"));
            throw new AssertionError("readonly created an instance");
        } catch (EmrApiException e) {
            assertThat(e.code()).isEqualTo("AccessDenied");
        }
        assertThat(client.call("ListComponents", Map.of("ClusterId", ray.clusterId)).path("Result")
                .path("TotalCount").asInt()).isEqualTo(2);
    }

    @Test
    void anotherAccountSeesNoCluster() {
        var other = ray.plane.credentials().create(io.emrvke.server.account.NewCredential.generated(
                ray.credential.accountId() + 1, "stranger", io.emrvke.server.account.Role.ADMIN));
        var client = io.emrvke.api.client.EmrClient.builder().endpoint("127.0.0.1:" + ray.plane.port())
                .credentials(other.accessKeyId(), other.secretKey()).build();
        try {
            client.call("ListComponentInstances", Map.of("ClusterId", ray.clusterId));
            throw new AssertionError("another account listed the instances");
        } catch (EmrApiException e) {
            assertThat(e.code()).isEqualTo("NotFound.Cluster");
        }
    }
}
