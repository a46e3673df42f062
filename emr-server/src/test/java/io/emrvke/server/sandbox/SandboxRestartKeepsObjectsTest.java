package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxRestartKeepsObjectsTest {
    @TempDir
    Path dataDir;

    @Test
    void restartedSandboxFindsItsObjectsAndItsPodsBecomeReadyAgain() throws Exception {
        String deployUid;
        Set<String> podNames;
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dataDir, 0, POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default").resource(deployment("keep", 2, List.of())).create();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("settings").endMetadata().addToData("k", "v").build()).create();
            client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("default")
                    .resource(RayClusterSuspendAndResumeTest.rayCluster("ray", 1)).create();
            eventually(Duration.ofSeconds(10), "2 ready", () -> RolloutRestartReplacesEveryPodTest
                    .rolledOut(client.apps().deployments().inNamespace("default").withName("keep").get(), 2));
            deployUid = client.apps().deployments().inNamespace("default").withName("keep").get().getMetadata().getUid();
            podNames = names(podsOf(client, "default", "keep"));
        }
        assertThat(dataDir.resolve(SandboxConfig.STATE_FILE)).exists();

        try (Sandbox sandbox = Sandbox.start(SandboxConfig.persistent(dataDir, 0, 2000));
             KubernetesClient client = client(sandbox)) {
            assertThat(podsOf(client, "default", "keep")).extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(podNames);
            assertThat(podsOf(client, "default", "keep")).noneMatch(SandboxTestSupport::ready);
            Deployment d = client.apps().deployments().inNamespace("default").withName("keep").get();
            assertThat(d.getMetadata().getUid()).isEqualTo(deployUid);
            assertThat(client.configMaps().inNamespace("default").withName("settings").get().getData())
                    .containsEntry("k", "v");
            eventually(Duration.ofSeconds(15), "the same pods ready again", () -> {
                List<Pod> pods = podsOf(client, "default", "keep");
                return names(pods).equals(podNames) && pods.stream().allMatch(SandboxTestSupport::ready)
                        && RolloutRestartReplacesEveryPodTest.rolledOut(
                        client.apps().deployments().inNamespace("default").withName("keep").get(), 2);
            });
            eventually(Duration.ofSeconds(15), "the RayCluster ready again", () ->
                    "ready".equals(RayClusterSuspendAndResumeTest.status(client, "ray").get("state")));
            String newUid = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("fresh").endMetadata().build()).create().getMetadata().getUid();
            assertThat(client.pods().inNamespace("default").list().getItems())
                    .noneMatch(p -> p.getMetadata().getUid().equals(newUid));
            assertThat(newUid).isNotEqualTo(deployUid);
            client.configMaps().inNamespace("default").withName("settings").edit(c -> {
                c.getData().put("k", "v2");
                return c;
            });
        }
        assertThat(Files.readString(dataDir.resolve(SandboxConfig.STATE_FILE))).contains("\"v2\"");
    }

    private static Set<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }
}
