package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ObjectKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/**
 * Config values the sandbox would take but a real API server refuses (memory {@code 2Gx}, cpu {@code two}, a
 * label value of 64 characters, a Secret key over 253 characters) are refused when the request arrives, on any
 * target: 400 InvalidParameter naming the request item, its value (a secret one masked), the object and the field
 * the value would land in and what Kubernetes accepts; no operation, cluster, instance or config version is
 * written. A valid quantity is still accepted and lands in the workload.
 */
class ValuesARealApiServerWouldRefuseAreRefusedAtRequestTest {
    private static final String WORKER_LIMITS = "spec.workerGroupSpecs[0].template.spec.containers[0].resources.limits";
    private static final String NOT_A_QUANTITY = "is not a Kubernetes quantity (a number with an optional suffix,"
            + " e.g. 512Mi, 2Gi, 1.5, 250m)";

    @Test
    void createVirtualClusterWithAMemoryKubernetesRefusesIsRefusedNamingTheItemAndCreatesNothing() {
        try (ActionPlane plane = ActionPlane.start()) {
            JsonNode error = plane.error("CreateVirtualCluster", Map.of("ClusterName", "never",
                    "ReleaseVersion", ActionPlane.RELEASE, "VkeCluster", Map.of("VkeClusterId", "sandbox"),
                    "Applications", List.of(Map.of("ApplicationName", "Ray", "ApplicationConfigs", List.of(
                            item("ray-cluster-values.yaml", "head_cpu", "2"),
                            item("ray-cluster-values.yaml", "worker_memory", "2Gx"))))));

            assertInvalid(error).matches("Applications\\.1\\.ApplicationConfigs\\.2 \\(worker_memory = \"2Gx\"\\) is"
                    + " not accepted by Kubernetes: RayCluster raycluster-[a-z0-9]{4} "
                    + Pattern.quote(WORKER_LIMITS + ".memory \"2Gx\" " + NOT_A_QUANTITY + " (and 1 more)."));
            assertThat(plane.call("ListVirtualClusters", Map.of()).path("TotalCount").asLong()).isZero();
            assertThat(operationCount(plane)).isZero();
        }
    }

    @Test
    void requestsOnARunningClusterAreRefusedNamingTheItemAndAValidQuantityStillLands() {
        try (ActionPlane plane = ActionPlane.start()) {
            String clusterId = plane.runningCluster("k8s-values", "Ray");
            String raycluster = "raycluster-" + ActionPlane.suffix(clusterId);
            long operations = operationCount(plane);

            JsonNode restart = plane.error("RunApplicationAction", restart(clusterId,
                    ActionPlane.configs("ray-cluster-values.yaml", "worker_memory", "2Gx")));
            assertInvalid(restart).isEqualTo("ActionParams.1.Value[1] (worker_memory = \"2Gx\") is not accepted by"
                    + " Kubernetes: RayCluster " + raycluster + " " + WORKER_LIMITS + ".memory \"2Gx\" "
                    + NOT_A_QUANTITY + " (and 1 more).");

            String longGroup = "g".repeat(64);
            JsonNode label = plane.error("RunApplicationAction", restart(clusterId,
                    ActionPlane.configs("ray-cluster-values.yaml", "worker_cpu", "1",
                            "ray-cluster-values.yaml", "worker.groupName", longGroup)));
            assertInvalid(label).startsWith("ActionParams.1.Value[2] (worker.groupName = \"" + longGroup + "\") is"
                    + " not accepted by Kubernetes: RayCluster " + raycluster + " spec.workerGroupSpecs[0].groupName")
                    .contains("is 64 characters long; a label value has at most 63");

            String secretKey = "RAY_PASSWORD_" + "X".repeat(243);
            JsonNode secret = plane.error("RunApplicationAction", restart(clusterId,
                    ActionPlane.configs("__envs__", secretKey, "s3cret-value")));
            assertInvalid(secret).startsWith("ActionParams.1.Value[1] (" + secretKey + " = ******) is not accepted"
                    + " by Kubernetes: Secret " + raycluster + "-secret data \"RAY_PASSWORD_XX")
                    .contains("is 256 characters long; a ConfigMap or Secret key has at most 253")
                    .doesNotContain("s3cret-value");

            JsonNode instance = plane.error("CreateComponentInstance", Map.of("ClusterId", clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", "ray-two",
                    "ApplicationConfigs", List.of(item("ray-cluster-values.yaml", "head_cpu", "two"))));
            assertInvalid(instance).startsWith("ApplicationConfigs.1 (head_cpu = \"two\") is not accepted by"
                    + " Kubernetes: RayCluster ray-two spec.headGroupSpec.template.spec.containers[0].resources"
                    + ".limits.cpu \"two\" is not a Kubernetes quantity");

            JsonNode deploy = plane.error("DeployApplications", Map.of("ClusterId", clusterId, "Applications",
                    List.of(Map.of("ApplicationName", "Spark", "ApplicationConfigs", List.of(
                            item("spark-operator-values.yaml", "memory_requirements", "1 GiB"))))));
            assertInvalid(deploy).startsWith("Applications.1.ApplicationConfigs.1 (memory_requirements = \"1 GiB\")"
                    + " is not accepted by Kubernetes: Deployment spark-operator-");

            assertThat(operationCount(plane)).as("no operation").isEqualTo(operations);
            assertThat(plane.instances(clusterId)).containsOnlyKeys(raycluster,
                    "kuberay-operator-" + ActionPlane.suffix(clusterId));
            assertThat(configVersions(plane, clusterId)).as("no new config version").allMatch(v -> v == 1);

            JsonNode op = plane.runAndAwait(restart(clusterId,
                    ActionPlane.configs("ray-cluster-values.yaml", "worker_memory", "3Gi")));
            assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
            assertThat(workerMemoryLimit(plane, clusterId, raycluster)).isEqualTo("3Gi");
        }
    }

    private static Map<String, Object> restart(String clusterId, String configs) {
        return ActionPlane.action(clusterId, "restart", "COMPONENT", "Ray", List.of("RayCluster"),
                Map.of("applicationConfigs", configs));
    }

    private static AbstractStringAssert<?> assertInvalid(JsonNode error) {
        String message = error.path("Message").asText();
        assertThat(error.path("HttpStatus").asInt()).as(message).isEqualTo(400);
        assertThat(error.path("Code").asText()).as(message).isEqualTo("InvalidParameter");
        return assertThat(message);
    }

    @SuppressWarnings("unchecked")
    private static String workerMemoryLimit(ActionPlane plane, String clusterId, String raycluster) {
        GenericKubernetesResource ray = plane.kube.genericKubernetesResources(ObjectKind.of(WorkloadKind.RAY_CLUSTER).context())
                .inNamespace(plane.namespace(clusterId)).withName(raycluster).get();
        Map<String, Object> spec = (Map<String, Object>) ray.getAdditionalProperties().get("spec");
        Map<String, Object> group = ((List<Map<String, Object>>) spec.get("workerGroupSpecs")).get(0);
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) group.get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
        return String.valueOf(((Map<String, Object>) ((Map<String, Object>) container.get("resources"))
                .get("limits")).get("memory"));
    }

    private static List<Integer> configVersions(ActionPlane plane, String clusterId) {
        JsonNode configs = plane.call("ListApplicationConfigs", Map.of("ClusterId", clusterId,
                "ApplicationName", "Ray", "MaxResults", 100));
        List<Integer> versions = new ArrayList<>();
        configs.path("Items").findValues("ConfigVersion").forEach(v -> versions.add(v.asInt()));
        assertThat(versions).isNotEmpty();
        return versions;
    }

    private static Map<String, Object> item(String file, String key, String value) {
        return Map.of("ConfigFileName", file, "ConfigItemKey", key, "ConfigItemValue", value);
    }

    private static long operationCount(ActionPlane plane) {
        return plane.call("ListOperations", Map.of()).path("TotalCount").asLong();
    }
}
