package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxFaultPendingNeverScheduledTest {
    @Test
    void pendingPodIsUnschedulableWhileAHealthyOneBecomesReady() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("stuck", 1, List.of(new EnvVar("SANDBOX_FAULT", "pending", null)))).create();
            deployments.resource(deployment("fine", 1, List.of())).create();
            eventually(Duration.ofSeconds(10), "the healthy pod ready and the faulty one unschedulable", () -> {
                List<Pod> stuck = podsOf(client, "default", "stuck");
                return podsOf(client, "default", "fine").stream().allMatch(SandboxTestSupport::ready)
                        && stuck.size() == 1 && stuck.get(0).getStatus().getConditions() != null
                        && !stuck.get(0).getStatus().getConditions().isEmpty();
            });
            Pod pod = podsOf(client, "default", "stuck").get(0);
            PendingAssertions.assertUnschedulable(pod);
        }
    }
}

final class PendingAssertions {
    private PendingAssertions() {
    }

    static void assertUnschedulable(Pod pod) {
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getSpec().getNodeName()).isNull();
        assertThat(pod.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
        });
    }
}
