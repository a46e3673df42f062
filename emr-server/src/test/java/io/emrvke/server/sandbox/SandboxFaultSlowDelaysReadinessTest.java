package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFaultSlowDelaysReadinessTest {
    @Test
    void slowPodIsStillStartingWhenANormalPodIsReadyAndBecomesReadyLater() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(100));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("slow", 1, List.of(new EnvVar("SANDBOX_FAULT", "slow:2500", null)))).create();
            deployments.resource(deployment("quick", 1, List.of())).create();
            eventually(Duration.ofSeconds(10), "the quick pod ready",
                    () -> podsOf(client, "default", "quick").stream().anyMatch(SandboxTestSupport::ready));
            assertThat(podsOf(client, "default", "slow")).singleElement().satisfies(p -> {
                assertThat(ready(p)).isFalse();
                assertThat(p.getSpec().getNodeName()).isNotNull();
                assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                        .isEqualTo("ContainerCreating");
            });
            eventually(Duration.ofSeconds(15), "the slow pod ready",
                    () -> podsOf(client, "default", "slow").stream().anyMatch(SandboxTestSupport::ready));
        }
    }
}
