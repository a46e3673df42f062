package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RayClusterSuspendAndResumeTest {
    static final ResourceDefinitionContext RAY = new ResourceDefinitionContext.Builder().withGroup("ray.io")
            .withVersion("v1").withKind("RayCluster").withPlural("rayclusters").withNamespaced(true).build();

    static GenericKubernetesResource rayCluster(String name, int workers) {
        String yaml = """
                apiVersion: ray.io/v1
                kind: RayCluster
                metadata:
                  name: %1$s
                spec:
                  rayVersion: "2.30.0"
                  headGroupSpec:
                    rayStartParams: {}
                    template:
                      metadata:
                        labels: {app: %1$s}
                      spec:
                        containers: [{name: ray-head, image: "rayproject/ray:2.30.0"}]
                  workerGroupSpecs:
                  - groupName: small
                    replicas: %2$d
                    minReplicas: 0
                    maxReplicas: 5
                    rayStartParams: {}
                    template:
                      metadata:
                        labels: {app: %1$s}
                      spec:
                        containers: [{name: ray-worker, image: "rayproject/ray:2.30.0"}]
                """.formatted(name, workers);
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    static Map<String, Object> status(KubernetesClient client, String name) {
        GenericKubernetesResource rc = client.genericKubernetesResources(RAY).inNamespace("default").withName(name).get();
        Object s = rc.getAdditionalProperties().get("status");
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    @Test
    void suspendDeletesEveryPodAndResumeBringsTheClusterBackReady() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var rays = client.genericKubernetesResources(RAY).inNamespace("default");
            rays.resource(rayCluster("ray1", 2)).create();
            eventually(Duration.ofSeconds(10), "state ready", () -> "ready".equals(status(client, "ray1").get("state")));
            assertThat(status(client, "ray1")).containsEntry("readyWorkerReplicas", 2)
                    .containsEntry("availableWorkerReplicas", 2).containsEntry("desiredWorkerReplicas", 2);
            List<Pod> pods = podsOf(client, "default", "ray1");
            assertThat(pods).extracting(p -> p.getMetadata().getName()).hasSize(3)
                    .anySatisfy(n -> assertThat(n).matches("ray1-head-[a-z0-9]{5}"))
                    .filteredOn(n -> n.contains("worker")).hasSize(2)
                    .allSatisfy(n -> assertThat(n).matches("ray1-small-worker-[a-z0-9]{5}"));

            rays.withName("ray1").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
            eventually(Duration.ofSeconds(10), "suspended without pods",
                    () -> podsOf(client, "default", "ray1").isEmpty() && "suspended".equals(status(client, "ray1").get("state")));

            rays.withName("ray1").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
            eventually(Duration.ofSeconds(10), "ready again", () -> "ready".equals(status(client, "ray1").get("state"))
                    && podsOf(client, "default", "ray1").size() == 3);
            assertThat(podsOf(client, "default", "ray1")).allMatch(SandboxTestSupport::ready)
                    .noneMatch(p -> pods.stream().anyMatch(o -> o.getMetadata().getUid().equals(p.getMetadata().getUid())));
        }
    }
}
