package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleToZeroLeavesNoPodsTest {
    @Test
    void scaleToZeroRemovesEveryPodAndScalingBackMakesThemReady() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("batch", 2, List.of())).create();
            eventually(Duration.ofSeconds(10), "2 ready",
                    () -> RolloutRestartReplacesEveryPodTest.rolledOut(deployments.withName("batch").get(), 2));

            deployments.withName("batch").scale(0);
            eventually(Duration.ofSeconds(10), "no pods", () -> podsOf(client, "default", "batch").isEmpty()
                    && RolloutRestartReplacesEveryPodTest.rolledOut(deployments.withName("batch").get(), 0));
            assertThat(deployments.withName("batch").get().getSpec().getReplicas()).isZero();

            deployments.withName("batch").scale(2);
            eventually(Duration.ofSeconds(10), "2 ready again",
                    () -> RolloutRestartReplacesEveryPodTest.rolledOut(deployments.withName("batch").get(), 2));
            assertThat(podsOf(client, "default", "batch")).hasSize(2).allMatch(SandboxTestSupport::ready);
        }
    }
}
