package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnmatchedNodeSelectorStaysPendingTest {
    @Test
    void podPinnedToAMissingPoolStaysPendingUntilANodeCarriesThatLabel() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("gpu", 1, List.of());
            d.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("sandbox.emr-vke.io/node-pool", "gpu"));
            client.apps().deployments().inNamespace("default").resource(d).create();
            eventually(Duration.ofSeconds(10), "the pod reported unschedulable", () -> {
                List<Pod> pods = podsOf(client, "default", "gpu");
                return pods.size() == 1 && pods.get(0).getStatus().getConditions() != null
                        && !pods.get(0).getStatus().getConditions().isEmpty();
            });
            PendingAssertions.assertUnschedulable(podsOf(client, "default", "gpu").get(0));
            assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactlyInAnyOrder("sandbox-node-1", "sandbox-node-2", "sandbox-node-3");

            client.nodes().withName("sandbox-node-2").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"sandbox.emr-vke.io/node-pool\":\"gpu\"}}}");
            eventually(Duration.ofSeconds(10), "scheduled on the relabelled node and ready", () -> {
                Pod p = podsOf(client, "default", "gpu").get(0);
                return ready(p) && "sandbox-node-2".equals(p.getSpec().getNodeName());
            });
        }
    }
}
