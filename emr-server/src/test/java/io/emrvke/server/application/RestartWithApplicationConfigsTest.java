package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static io.emrvke.server.application.ActionPlane.configs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The public documentation's two RunApplicationAction examples, through the official SDK, and
 * config changes of every kind (helm values, properties, env, secret env) made effective by the
 * restart: visible in the ConfigMap/Secret, ListApplicationConfigs, the history and the pods, every restarted
 * pod Ready when the operation ends.
 */
@StartedPlanes.Shared
class RestartWithApplicationConfigsTest {
    /**
     * The restarted pods' time to Ready, long against the test's polling: a restart step that reported SUCCESS
     * before its pods were Ready leaves them unready when the operation is seen to end.
     */
    private static final String SLOW_PODS = "slow:700";
    private static ActionPlane plane;

    private static Map<String, Object> publicExample(String clusterId, String releaseName) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("applicationConfigs", configs("ray-cluster-values.yaml", "worker_replicas", "3"));
        if (releaseName != null) {
            params.put("releaseName", releaseName);
        }
        return action(clusterId, "restart", "COMPONENT", "RAY", List.of("RayCluster"), params);
    }

    @Test
    void publicExamplesRestartRayClusterWithNewWorkerCountAndNeedReleaseNameOnceThereAreTwo() {
        String clusterId = plane.runningCluster("examples", "Ray");
        String ray = "raycluster-" + ActionPlane.suffix(clusterId);
        String operator = "kuberay-operator-" + ActionPlane.suffix(clusterId);
        List<String> operatorPods = plane.podUids(clusterId, operator);
        List<String> before = plane.podUids(clusterId, ray);
        assertThat(before).hasSize(3);

        JsonNode op = plane.runAndAwait(publicExample(clusterId, null));

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(op.path("OperationName").asText()).isEqualTo("RunApplicationAction");
        assertThat(ActionPlane.steps(op)).containsExactly("restart " + ray + " SUCCESS");
        assertThat(op.path("Progress").path("Succeeded").asInt()).isEqualTo(1);
        List<String> after = plane.podUids(clusterId, ray);
        assertThat(after).as("1 head + 3 workers, all new").hasSize(4).doesNotContainAnyElementsOf(before);
        assertThat(plane.podUids(clusterId, operator)).isEqualTo(operatorPods);
        JsonNode instance = plane.instances(clusterId).get(ray);
        assertThat(instance.path("ConfigVersion").asInt()).isEqualTo(2);
        assertThat(instance.path("DesiredState").asText()).isEqualTo("RUNNING");
        assertThat(instance.path("InstanceState").asText()).isEqualTo("RUNNING");

        plane.addRayCluster(clusterId, "ray-two");
        JsonNode refused = plane.error("RunApplicationAction", publicExample(clusterId, null));
        assertThat(refused.path("Code").asText()).isEqualTo("MissingParameter");
        assertThat(refused.path("Message").asText()).contains("releaseName").contains(ray).contains("ray-two");

        List<String> firstBefore = plane.podUids(clusterId, ray);
        List<String> twoBefore = plane.podUids(clusterId, "ray-two");
        JsonNode second = plane.runAndAwait(publicExample(clusterId, "ray-two"));

        assertThat(second.path("OperationState").asText()).as(second.toString()).isEqualTo("SUCCESS");
        assertThat(ActionPlane.steps(second)).containsExactly("restart ray-two SUCCESS");
        assertThat(plane.podUids(clusterId, "ray-two")).hasSize(4).doesNotContainAnyElementsOf(twoBefore);
        assertThat(plane.podUids(clusterId, ray)).as("the instance not named is untouched").isEqualTo(firstBefore);
        assertThat(plane.instances(clusterId).get("ray-two").path("ConfigVersion").asInt()).isEqualTo(2);
        assertThat(plane.instances(clusterId).get(ray).path("ConfigVersion").asInt()).isEqualTo(2);
    }

    @Test
    void propertiesEnvAndSecretItemsLandInConfigMapSecretHistoryAndRestartedPods() {
        String clusterId = plane.runningCluster("configs", "Celeborn");
        String master = "celeborn-master-" + ActionPlane.suffix(clusterId);
        String worker = "celeborn-worker-" + ActionPlane.suffix(clusterId);
        List<String> masterBefore = plane.podUids(clusterId, master);
        List<String> workerBefore = plane.podUids(clusterId, worker);
        String secretValue = "s3cret-Value-42";

        JsonNode op = plane.runAndAwait(action(clusterId, "restart", "COMPONENT", "celeborn",
                List.of("CelebornMaster"), Map.of("applicationConfigs", configs(
                        "celeborn-defaults.conf", "celeborn.worker.flusher.buffer.size", "512k",
                        "__envs__", "CELEBORN_MASTER_MEMORY", "4g",
                        "__envs__", "METRICS_PASSWORD", secretValue,
                        "__envs__", "SANDBOX_FAULT", SLOW_PODS))));
        List<Pod> pods = plane.pods(clusterId, master);

        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        assertThat(pods).as("every restarted pod is Ready the moment the operation is seen to have ended")
                .hasSize(3).allMatch(SandboxTarget::ready)
                .noneMatch(p -> masterBefore.contains(p.getMetadata().getUid()));
        String operationId = op.path("OperationId").asText();
        assertThat(op.path("Content").asText()).contains("******").doesNotContain(secretValue);
        assertThat(op.toString()).doesNotContain(secretValue);

        String ns = plane.namespace(clusterId);
        Map<String, String> configMap = plane.kube.configMaps().inNamespace(ns).withName(master + "-config").get()
                .getData();
        assertThat(configMap.get("celeborn-defaults.conf")).contains("celeborn.worker.flusher.buffer.size 512k\n");
        assertThat(configMap.toString()).doesNotContain(secretValue);
        Secret secret = plane.kube.secrets().inNamespace(ns).withName(master + "-secret").get();
        assertThat(decoded(secret, "METRICS_PASSWORD")).isEqualTo(secretValue);

        for (Pod pod : pods) {
            List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
            assertThat(env).anyMatch(e -> e.getName().equals("CELEBORN_MASTER_MEMORY") && "4g".equals(e.getValue()));
            assertThat(env).anyMatch(e -> e.getName().equals("METRICS_PASSWORD") && e.getValue() == null
                    && e.getValueFrom().getSecretKeyRef() != null);
        }
        assertThat(plane.podUids(clusterId, worker)).as("CelebornWorker was not targeted").isEqualTo(workerBefore);
        assertThat(plane.instances(clusterId).get(worker).path("ConfigVersion").asInt()).isEqualTo(1);
        assertThat(plane.instances(clusterId).get(master).path("ConfigVersion").asInt()).isEqualTo(2);

        JsonNode items = plane.call("ListApplicationConfigs", Map.of("ClusterId", clusterId, "ApplicationName",
                "Celeborn", "ReleaseName", master, "MaxResults", 100));
        List<String> shown = new ArrayList<>();
        items.path("Items").forEach(i -> shown.add(i.path("ConfigFileName").asText() + " "
                + i.path("ConfigItemKey").asText() + "=" + i.path("ConfigItemValue").asText() + " v"
                + i.path("ConfigVersion").asInt()));
        assertThat(shown).contains("celeborn-defaults.conf celeborn.worker.flusher.buffer.size=512k v2",
                "__envs__ CELEBORN_MASTER_MEMORY=4g v2", "__envs__ METRICS_PASSWORD=****** v2");
        assertThat(items.toString()).doesNotContain(secretValue);

        JsonNode history = plane.call("ListApplicationConfigHistories", Map.of("ClusterId", clusterId,
                "ApplicationName", "Celeborn", "ReleaseName", master, "MaxResults", 100));
        List<String> changes = new ArrayList<>();
        history.path("Items").forEach(h -> {
            if (operationId.equals(h.path("OperationId").asText())) {
                changes.add(h.path("ConfigItemKey").asText() + " v" + h.path("ConfigVersion").asInt());
            }
        });
        assertThat(changes).containsExactlyInAnyOrder("celeborn.worker.flusher.buffer.size v2",
                "CELEBORN_MASTER_MEMORY v2", "METRICS_PASSWORD v2", "SANDBOX_FAULT v2");
        assertThat(history.toString()).doesNotContain(secretValue);
    }

    private static String decoded(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
