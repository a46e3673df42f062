package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFaultCrashloopNeverReadyTest {
    @Test
    void crashloopPodRunsButNeverBecomesReadyAndRestartsKeepRising() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(100));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default")
                    .resource(deployment("crashy", 1, List.of(new EnvVar("SANDBOX_FAULT", "crashloop", null)))).create();
            eventually(Duration.ofSeconds(15), "restartCount of at least 3", () -> {
                List<Pod> pods = podsOf(client, "default", "crashy");
                return pods.size() == 1 && pods.get(0).getStatus().getContainerStatuses() != null
                        && pods.get(0).getStatus().getContainerStatuses().get(0).getRestartCount() >= 3;
            });
            Pod pod = podsOf(client, "default", "crashy").get(0);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(ready(pod)).isFalse();
            var container = pod.getStatus().getContainerStatuses().get(0);
            assertThat(container.getReady()).isFalse();
            assertThat(container.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
            var d = client.apps().deployments().inNamespace("default").withName("crashy").get();
            assertThat(d.getStatus().getReadyReplicas()).as("no ready replica (a zero count is left out)").isNull();
            assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(1);
        }
    }
}
