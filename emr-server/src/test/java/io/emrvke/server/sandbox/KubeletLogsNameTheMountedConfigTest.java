package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A simulated container writes its own log, which {@code kubectl logs} reads through {@link PodLogs}: how it
 * started, the ConfigMaps and Secrets it mounted and the configuration checksum emr-vke put on the pod, that it is
 * ready, and the fault it simulates; the run before a crash stays readable as {@code --previous}. A request the
 * API server would refuse gets its 400 message instead.
 */
class KubeletLogsNameTheMountedConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aContainersLogSaysWhatItMountedAndWhenItIsReady() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("hist", 1, List.of());
            d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("emr-vke.io/config-checksum", "9f3c1a77"));
            var spec = d.getSpec().getTemplate().getSpec();
            spec.setVolumes(List.of(new VolumeBuilder().withName("config").withNewConfigMap().withName("hist-config")
                    .endConfigMap().build(), new VolumeBuilder().withName("secret").withNewSecret()
                    .withSecretName("hist-secret").endSecret().build()));
            spec.getContainers().get(0).setVolumeMounts(List.of(
                    new VolumeMountBuilder().withName("config").withMountPath("/etc/emr-vke/conf").build(),
                    new VolumeMountBuilder().withName("secret").withMountPath("/etc/emr-vke/secret").build()));
            client.apps().deployments().inNamespace("default").resource(d).create();
            eventually(Duration.ofSeconds(10), "ready", () -> podsOf(client, "default", "hist").stream()
                    .anyMatch(SandboxTestSupport::ready));
            Pod pod = podsOf(client, "default", "hist").get(0);

            PodLogs.Answer answer = sandbox.podLogs().read(json(pod), null, false, PodLogs.Options.NONE);
            assertThat(answer.badRequest()).isNull();
            assertThat(answer.text()).isEqualTo(String.join("\n",
                    "sandbox: container main starting: image busybox:1.36, pod default/" + pod.getMetadata().getName()
                            + ", node " + pod.getSpec().getNodeName(),
                    "sandbox: mounted ConfigMap hist-config at /etc/emr-vke/conf",
                    "sandbox: mounted Secret hist-secret at /etc/emr-vke/secret",
                    "sandbox: config checksum: 9f3c1a77 (emr-vke.io/config-checksum)",
                    "sandbox: ready", ""));
            String tail = sandbox.podLogs().read(json(pod), "main", false,
                    new PodLogs.Options(true, 1, null, null, null)).text();
            assertThat(tail).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z sandbox: ready\n");
            assertThat(sandbox.podLogs().read(json(pod), null, true, PodLogs.Options.NONE).badRequest())
                    .isEqualTo("previous terminated container \"main\" in pod \"" + pod.getMetadata().getName() + "\" not found");
        }
    }

    @Test
    void aCrashingContainerLogsItsFaultAndItsPreviousRunStaysReadable() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(100));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default")
                    .resource(deployment("crashy", 1, List.of(new EnvVar("SANDBOX_FAULT", "crashloop", null)))).create();
            eventually(Duration.ofSeconds(10), "restarted once", () -> podsOf(client, "default", "crashy").stream()
                    .anyMatch(p -> p.getStatus().getContainerStatuses() != null
                            && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 2));
            JsonNode pod = json(podsOf(client, "default", "crashy").get(0));

            String current = sandbox.podLogs().read(pod, "main", false, PodLogs.Options.NONE).text();
            String previous = sandbox.podLogs().read(pod, "main", true, PodLogs.Options.NONE).text();
            for (String log : List.of(current, previous)) {
                assertThat(log).contains("sandbox: config checksum: none (the pod has no emr-vke.io/config-checksum annotation)")
                        .endsWith("sandbox: SANDBOX_FAULT=crashloop: exiting with code 1\n").doesNotContain("ready");
            }
        }
    }

    @Test
    void followingALogEndsWhenItsContainerStops() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default").resource(deployment("tailed", 1, List.of())).create();
            eventually(Duration.ofSeconds(10), "ready", () -> podsOf(client, "default", "tailed").stream()
                    .anyMatch(SandboxTestSupport::ready));
            JsonNode pod = json(podsOf(client, "default", "tailed").get(0));
            String soFar = sandbox.podLogs().read(pod, null, false, PodLogs.Options.NONE).text();
            List<String> streamed = new CopyOnWriteArrayList<>();
            AtomicBoolean ended = new AtomicBoolean();
            try (AutoCloseable subscription = sandbox.podLogs().follow(pod, null, PodLogs.Options.NONE, streamed::add,
                    () -> ended.set(true))) {
                assertThat(ended).isFalse();
                client.apps().deployments().inNamespace("default").withName("tailed").delete();
                eventually(Duration.ofSeconds(10), "the stream ended with the pod", ended::get);
                assertThat(streamed).as("the log so far, then nothing: nothing is written after ready")
                        .containsExactly(soFar);
            }
            AtomicBoolean endedAtOnce = new AtomicBoolean();
            sandbox.podLogs().follow(pod, null, PodLogs.Options.NONE, s -> { }, () -> endedAtOnce.set(true)).close();
            assertThat(endedAtOnce).as("following a gone pod ends at once").isTrue();
        }
    }

    @Test
    void requestsTheApiServerRefusesGetItsMessage() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("duo").endMetadata()
                    .withNewSpec().withContainers(new ContainerBuilder().withName("app").withImage("busybox:1.36").build(),
                            new ContainerBuilder().withName("sidecar").withImage("busybox:1.36").build()).endSpec()
                    .build()).create();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("stuck").endMetadata()
                    .withNewSpec().withNodeSelector(Map.of("nowhere", "true"))
                    .withContainers(new ContainerBuilder().withName("main").withImage("busybox:1.36").build()).endSpec()
                    .build()).create();
            eventually(Duration.ofSeconds(10), "duo ready", () -> ready(client.pods().inNamespace("default").withName("duo").get()));
            JsonNode duo = json(client.pods().inNamespace("default").withName("duo").get());
            JsonNode stuck = json(client.pods().inNamespace("default").withName("stuck").get());

            PodLogs logs = sandbox.podLogs();
            assertThat(logs.read(duo, null, false, PodLogs.Options.NONE).badRequest())
                    .isEqualTo("a container name must be specified for pod duo, choose one of: [app sidecar]");
            assertThat(logs.read(duo, "db", false, PodLogs.Options.NONE).badRequest())
                    .isEqualTo("container db is not valid for pod duo");
            assertThat(logs.read(duo, "sidecar", false, PodLogs.Options.NONE).text()).contains("container sidecar starting");
            assertThat(logs.read(stuck, null, false, PodLogs.Options.NONE).badRequest())
                    .isEqualTo("pod stuck does not have a host assigned");
        }
    }

    private static JsonNode json(Pod pod) {
        try {
            return JSON.readTree(Serialization.asJson(pod));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
