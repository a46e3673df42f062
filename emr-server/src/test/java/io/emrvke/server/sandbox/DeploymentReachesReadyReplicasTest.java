package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentReachesReadyReplicasTest {
    @Test
    void twoReplicasBecomeReadyRunningPodsAndStatusSaysSo() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default").resource(deployment("web", 2, List.of())).create();

            eventually(Duration.ofSeconds(10), "readyReplicas 2", () -> {
                Deployment d = client.apps().deployments().inNamespace("default").withName("web").get();
                return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas())
                        && d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration());
            });
            Deployment d = client.apps().deployments().inNamespace("default").withName("web").get();
            assertThat(d.getStatus().getReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
            List<Pod> pods = podsOf(client, "default", "web");
            assertThat(pods).hasSize(2).allSatisfy(p -> {
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                assertThat(ready(p)).isTrue();
                assertThat(p.getSpec().getNodeName()).startsWith("sandbox-node-");
                assertThat(p.getStatus().getPodIP()).isNotBlank();
                assertThat(p.getMetadata().getName()).matches("web-[a-z0-9]{10}-[a-z0-9]{5}");
                assertThat(p.getMetadata().getLabels()).containsKey("pod-template-hash");
                assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                    assertThat(o.getKind()).isEqualTo("ReplicaSet");
                    assertThat(client.apps().replicaSets().inNamespace("default").withName(o.getName()).get()
                            .getMetadata().getOwnerReferences()).singleElement()
                            .satisfies(rs -> assertThat(rs.getUid()).isEqualTo(d.getMetadata().getUid()));
                });
                assertThat(p.getStatus().getContainerStatuses()).singleElement()
                        .satisfies(c -> assertThat(c.getState().getRunning()).isNotNull());
            });
        }
    }
}
