package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MissingRayClusterCrdIsAClearFailureTest {
    @Test
    void applyingARayClusterWithoutTheCrdFailsAndHealthSaysWhy() {
        try (MockCluster cluster = new MockCluster(false); KubernetesRuntime runtime = cluster.runtime("prod")) {
            assertThatThrownBy(() -> runtime.apply(Fixtures.rayCluster("ray-1", List.of())))
                    .isInstanceOfSatisfying(RuntimeFailure.class,
                            f -> assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.MISSING_CRD))
                    .hasMessageContaining("target prod has no RayCluster CRD (rayclusters.ray.io)");

            TargetHealth health = runtime.health();
            assertThat(health.reachable()).isTrue();
            assertThat(health.rayClusterCrd()).isFalse();
            assertThat(health.message()).contains("RayCluster CRD rayclusters.ray.io is not installed");
            // other kinds still deploy
            assertThat(runtime.apply(Fixtures.deployment("shs-1", List.of())).created()).isNotEmpty();
        }
    }

    @Test
    void aCrdInstalledLaterIsPickedUpWithoutRestart() {
        try (MockCluster cluster = new MockCluster(false); KubernetesRuntime runtime = cluster.runtime("prod")) {
            assertThat(runtime.health().rayClusterCrd()).isFalse();

            MockCluster.createRayCrd(cluster.client);

            assertThat(runtime.health().rayClusterCrd()).isTrue();
            assertThat(runtime.apply(Fixtures.rayCluster("ray-1", List.of())).created()).contains("RayCluster/ray-1");
            // the cache is fed by the newly started RayCluster watch, so the object shows up there shortly after
            InstanceStatus observed = runtime.await(new InstanceRef("emr-ns-1", "ray-1"), "be observed",
                    s -> s.workloadKind() == WorkloadKind.RAY_CLUSTER, Duration.ofSeconds(10)).join();
            assertThat(observed.workloadKind()).isEqualTo(WorkloadKind.RAY_CLUSTER);
        }
    }
}
