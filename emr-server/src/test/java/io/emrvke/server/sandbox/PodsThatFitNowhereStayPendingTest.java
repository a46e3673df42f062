package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler places a pod only where it fits, as kube-scheduler does: the node's allocatable cpu and memory
 * minus what the pods already there request, its taints, the pod's nodeSelector. A pod that fits nowhere stays
 * Pending with PodScheduled=False (Unschedulable) and a FailedScheduling event, both worded as the scheduler words
 * them, and is placed once room is made.
 */
class PodsThatFitNowhereStayPendingTest {
    private static final String NOT_HELPFUL = "no new claims to deallocate, preemption: 0/3 nodes are available: "
            + "3 Preemption is not helpful for scheduling.";

    @Test
    void aPodAskingMoreThanAnyNodeHasIsUnschedulable() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.pods().inNamespace("default").resource(pod("huge", "5", "1Gi", Map.of())).create();

            String message = "0/3 nodes are available: 3 Insufficient cpu. " + NOT_HELPFUL;
            assertUnschedulable(client, "huge", message);
        }
    }

    @Test
    void nodesFillUpAndAPodWaitsUntilAnotherLeaves() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            for (int i = 1; i <= 3; i++) {
                client.pods().inNamespace("default").resource(pod("big-" + i, "3", "10Gi", Map.of())).create();
            }
            eventually(Duration.ofSeconds(10), "3 pods running, one per node", () ->
                    client.pods().inNamespace("default").list().getItems().stream().filter(SandboxTestSupport::ready)
                            .map(p -> p.getSpec().getNodeName()).distinct().count() == 3);

            client.pods().inNamespace("default").resource(pod("late", "2", "1Gi", Map.of())).create();
            assertUnschedulable(client, "late", "0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, "
                    + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");

            String freed = client.pods().inNamespace("default").withName("big-2").get().getSpec().getNodeName();
            client.pods().inNamespace("default").withName("big-2").delete();
            eventually(Duration.ofSeconds(10), "the late pod placed where room was made", () -> {
                Pod late = client.pods().inNamespace("default").withName("late").get();
                return ready(late) && freed.equals(late.getSpec().getNodeName());
            });
        }
    }

    @Test
    void eachNodeCountsForTheFirstFilterItFailsTaintsThenSelectorThenResources() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.nodes().withName("sandbox-node-3").edit(n -> {
                n.getSpec().setTaints(List.of(new TaintBuilder().withKey("dedicated").withValue("gpu")
                        .withEffect("NoSchedule").build()));
                return n;
            });
            client.nodes().withName("sandbox-node-1").edit(n -> {
                n.getMetadata().getLabels().put("disk", "ssd");
                return n;
            });
            client.nodes().withName("sandbox-node-3").edit(n -> {
                n.getMetadata().getLabels().put("disk", "ssd");
                return n;
            });
            client.pods().inNamespace("default").resource(pod("picky", "6", "1Gi", Map.of("disk", "ssd"))).create();

            assertUnschedulable(client, "picky", "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match "
                    + "Pod's node affinity/selector, 1 node(s) had untolerated taint(s). " + NOT_HELPFUL);
        }
    }

    private static void assertUnschedulable(KubernetesClient client, String name, String message) {
        eventually(Duration.ofSeconds(10), name + " reported unschedulable with its FailedScheduling event", () ->
                failedScheduling(client, name) != null);
        Pod pod = client.pods().inNamespace("default").withName(name).get();
        PendingAssertions.assertUnschedulable(pod);
        assertThat(pod.getStatus().getConditions().get(0).getMessage()).isEqualTo(message);
        Event event = failedScheduling(client, name);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).isEqualTo(message);
        assertThat(event.getReportingComponent()).isEqualTo("default-scheduler");
        assertThat(event.getAction()).isEqualTo("Scheduling");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
    }

    private static Event failedScheduling(KubernetesClient client, String pod) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "FailedScheduling".equals(e.getReason()) && pod.equals(e.getInvolvedObject().getName()))
                .findFirst().orElse(null);
    }

    static Pod pod(String name, String cpu, String memory, Map<String, String> nodeSelector) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNodeSelector(nodeSelector)
                .withContainers(new ContainerBuilder().withName("main").withImage("busybox:1.36").withNewResources()
                        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))).endResources()
                        .build())
                .endSpec().build();
    }
}
