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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolloutRestartReplacesEveryPodTest {
    @Test
    void restartedAtAnnotationReplacesBothPodsWithNewReadyOnes() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("api", 2, List.of())).create();
            eventually(Duration.ofSeconds(10), "2 ready", () -> rolledOut(deployments.withName("api").get(), 2));
            Set<String> before = uids(podsOf(client, "default", "api"));

            deployments.withName("api").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                            + "{\"kubectl.kubernetes.io/restartedAt\":\"2024-05-01T10:00:00Z\"}}}}}");

            eventually(Duration.ofSeconds(15), "every pod replaced and ready", () -> {
                List<Pod> pods = podsOf(client, "default", "api");
                return pods.size() == 2 && pods.stream().allMatch(SandboxTestSupport::ready)
                        && uids(pods).stream().noneMatch(before::contains)
                        && rolledOut(deployments.withName("api").get(), 2);
            });
            Deployment d = deployments.withName("api").get();
            assertThat(d.getMetadata().getGeneration()).isEqualTo(2L);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(podsOf(client, "default", "api")).allSatisfy(p -> assertThat(
                    p.getMetadata().getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt"));
        }
    }

    /** Observed, and every count at {@code replicas} (the API leaves zero counts out). */
    static boolean rolledOut(Deployment d, int replicas) {
        var s = d.getStatus();
        return s != null && s.getObservedGeneration() != null
                && s.getObservedGeneration().equals(d.getMetadata().getGeneration())
                && replicas == orZero(s.getUpdatedReplicas())
                && replicas == orZero(s.getReadyReplicas())
                && replicas == orZero(s.getReplicas());
    }

    static int orZero(Integer count) {
        return count == null ? 0 : count;
    }

    static Set<String> uids(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }
}
