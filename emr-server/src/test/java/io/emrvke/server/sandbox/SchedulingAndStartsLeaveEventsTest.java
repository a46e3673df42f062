package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What happens to a pod leaves the events the real components record, in the pod's namespace: the Deployment
 * and ReplicaSet controllers' scaling and pod creation and deletion, the scheduler's binding, the kubelet's image
 * pull (once per node), container creation and start, and when the pod goes its Killing; a crash loop its BackOff,
 * counted up rather than repeated, and the probes that fail.
 */
class SchedulingAndStartsLeaveEventsTest {
    @Test
    void aDeploymentsPodLeavesTheControllersSchedulersAndKubeletsEvents() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("web", 1, List.of());
            d.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", "sandbox-node-1"));
            client.apps().deployments().inNamespace("default").resource(d).create();
            eventually(Duration.ofSeconds(10), "the pod's Started event", () -> !events(client, "Started").isEmpty());
            Pod pod = podsOf(client, "default", "web").get(0);
            String podName = pod.getMetadata().getName();
            String rs = pod.getMetadata().getOwnerReferences().get(0).getName();

            Event scaled = single(client, "ScalingReplicaSet");
            assertThat(scaled.getMessage()).isEqualTo("Scaled up replica set " + rs + " from 0 to 1");
            assertThat(scaled.getInvolvedObject().getKind()).isEqualTo("Deployment");
            assertThat(scaled.getSource().getComponent()).isEqualTo("deployment-controller");
            assertThat(scaled.getCount()).isEqualTo(1);
            assertThat(scaled.getFirstTimestamp()).isNotBlank();
            Event created = single(client, "SuccessfulCreate");
            assertThat(created.getMessage()).isEqualTo("Created pod: " + podName);
            assertThat(created.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
            assertThat(created.getInvolvedObject().getName()).isEqualTo(rs);
            assertThat(created.getSource().getComponent()).isEqualTo("replicaset-controller");
            Event scheduled = single(client, "Scheduled");
            assertThat(scheduled.getMessage()).isEqualTo("Successfully assigned default/" + podName + " to sandbox-node-1");
            assertThat(scheduled.getReportingComponent()).isEqualTo("default-scheduler");
            assertThat(scheduled.getAction()).isEqualTo("Binding");
            assertThat(scheduled.getEventTime()).isNotNull();

            Event pulling = single(client, "Pulling");
            assertThat(pulling.getMessage()).isEqualTo("Pulling image \"busybox:1.36\"");
            assertThat(single(client, "Pulled").getMessage()).startsWith("Successfully pulled image \"busybox:1.36\" in ");
            assertThat(single(client, "Created").getMessage()).isEqualTo("Created container: main");
            Event started = single(client, "Started");
            assertThat(started.getMessage()).isEqualTo("Started container main");
            assertThat(started.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{main}");
            assertThat(started.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
            assertThat(started.getSource().getComponent()).isEqualTo("kubelet");
            assertThat(started.getSource().getHost()).isEqualTo("sandbox-node-1");

            // a second pod on the same node finds the image there
            client.apps().deployments().inNamespace("default").withName("web").scale(2);
            eventually(Duration.ofSeconds(10), "the image found on the node", () -> events(client, "Pulled").stream()
                    .anyMatch(e -> e.getMessage().equals("Container image \"busybox:1.36\" already present on machine")));
            assertThat(events(client, "Pulling")).hasSize(1);

            client.apps().deployments().inNamespace("default").withName("web").scale(1);
            eventually(Duration.ofSeconds(10), "the surplus pod deleted and stopped", () ->
                    !events(client, "SuccessfulDelete").isEmpty() && !events(client, "Killing").isEmpty());
            Event deleted = single(client, "SuccessfulDelete");
            Event killing = single(client, "Killing");
            assertThat(killing.getMessage()).isEqualTo("Stopping container main");
            assertThat(deleted.getMessage()).isEqualTo("Deleted pod: " + killing.getInvolvedObject().getName());
        }
    }

    @Test
    void aCrashLoopCountsItsBackOffAndReportsItsFailingProbes() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(100));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("crashy", 1, List.of(new EnvVar("SANDBOX_FAULT", "crashloop", null)));
            var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            container.setReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/ready")
                    .withPort(new IntOrString(8080)).endHttpGet().build());
            container.setLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(9090)).endTcpSocket()
                    .build());
            client.apps().deployments().inNamespace("default").resource(d).create();

            eventually(Duration.ofSeconds(15), "a BackOff event counted up to 3", () ->
                    events(client, "BackOff").size() == 1 && events(client, "BackOff").get(0).getCount() >= 3);
            Pod pod = podsOf(client, "default", "crashy").get(0);
            Event backOff = events(client, "BackOff").get(0);
            assertThat(backOff.getType()).isEqualTo("Warning");
            assertThat(backOff.getMessage()).isEqualTo("Back-off restarting failed container main in pod "
                    + pod.getMetadata().getName() + "_default(" + pod.getMetadata().getUid() + ")");
            String ip = pod.getStatus().getPodIP();
            assertThat(events(client, "Unhealthy")).extracting(Event::getMessage).contains(
                    "Readiness probe failed: Get \"http://" + ip + ":8080/ready\": dial tcp " + ip
                            + ":8080: connect: connection refused",
                    "Liveness probe failed: dial tcp " + ip + ":9090: connect: connection refused");
            assertThat(events(client, "Killing")).extracting(Event::getMessage)
                    .contains("Container main failed liveness probe, will be restarted");
            assertThat(events(client, "Started")).singleElement().satisfies(e -> assertThat(e.getCount()).isGreaterThan(1));
        }
    }

    static List<Event> events(KubernetesClient client, String reason) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private static Event single(KubernetesClient client, String reason) {
        eventually(Duration.ofSeconds(5), "a " + reason + " event", () -> !events(client, reason).isEmpty());
        List<Event> found = events(client, reason);
        assertThat(found).as(reason + " events").hasSize(1);
        return found.get(0);
    }
}
