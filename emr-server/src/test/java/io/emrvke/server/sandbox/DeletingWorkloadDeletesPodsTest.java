package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletingWorkloadDeletesPodsTest {
    @Test
    void deletingEachWorkloadDeletesItsPodsAndDeletingANamespaceEmptiesIt() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
                    .create();
            client.apps().deployments().inNamespace("team").resource(deployment("web", 2, List.of())).create();
            client.apps().statefulSets().inNamespace("team").resource(new StatefulSetBuilder()
                    .withNewMetadata().withName("zk").endMetadata().withNewSpec().withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", "zk")).endSelector()
                    .withTemplate(template("zk", List.of())).endSpec().build()).create();
            client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("team")
                    .resource(RayClusterSuspendAndResumeTest.rayCluster("ray", 1)).create();
            client.configMaps().inNamespace("team").resource(new ConfigMapBuilder().withNewMetadata().withName("conf")
                    .endMetadata().addToData("a", "b").build()).create();
            eventually(Duration.ofSeconds(10), "5 ready pods",
                    () -> client.pods().inNamespace("team").list().getItems().stream()
                            .filter(SandboxTestSupport::ready).count() == 5);

            client.apps().deployments().inNamespace("team").withName("web").delete();
            eventually(Duration.ofSeconds(10), "web pods gone", () -> podsOf(client, "team", "web").isEmpty());
            client.apps().statefulSets().inNamespace("team").withName("zk").delete();
            eventually(Duration.ofSeconds(10), "zk pods gone", () -> podsOf(client, "team", "zk").isEmpty());
            assertThat(podsOf(client, "team", "ray")).hasSize(2);

            client.namespaces().withName("team").delete();
            eventually(Duration.ofSeconds(10), "namespace emptied", () ->
                    client.pods().inNamespace("team").list().getItems().isEmpty()
                            && client.configMaps().inNamespace("team").list().getItems().isEmpty()
                            && client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("team")
                            .list().getItems().isEmpty());
        }
    }
}
