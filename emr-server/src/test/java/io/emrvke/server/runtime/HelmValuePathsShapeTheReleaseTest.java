package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelmValuePathsShapeTheReleaseTest {
    private final ChartRenderer renderer = Fixtures.renderer();

    @Test
    void workerReplicasAndResourcesChangeTheRayCluster() {
        RenderedRelease rendered = renderer.render(Fixtures.rayCluster("ray-4f2a", List.of(
                Fixtures.file("ray-cluster-values.yaml", ConfigFormat.HELM_VALUES, Map.of(
                        "worker.replicas", "5",
                        "worker.resources.limits.cpu", "2",
                        "rayVersion", "2.30.0")))));

        var ray = rendered.workload();
        assertThat(ray.getKind()).isEqualTo("RayCluster");
        assertThat(ray.getApiVersion()).isEqualTo("ray.io/v1");
        assertThat((Object) Fixtures.at(ray, "spec", "workerGroupSpecs", "0", "replicas")).isEqualTo(5);
        assertThat((Object) Fixtures.at(ray, "spec", "workerGroupSpecs", "0", "maxReplicas")).isEqualTo(10);
        assertThat((Object) Fixtures.at(ray, "spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0",
                "resources", "limits", "cpu")).isEqualTo(2);
        assertThat((Object) Fixtures.at(ray, "spec", "rayVersion")).isEqualTo("2.30.0");
        assertThat((Object) Fixtures.at(ray, "spec", "suspend")).isEqualTo(false);
    }

    @Test
    void withoutWorkerReplicasTheInstanceSizeIsTheWorkerCount() {
        RenderedRelease rendered = renderer.render(Fixtures.rayCluster("ray-size", List.of()));

        assertThat((Object) Fixtures.at(rendered.workload(), "spec", "workerGroupSpecs", "0", "replicas")).isEqualTo(2);
    }

    @Test
    void replicasValueOverridesTheDeploymentSize() {
        RenderedRelease rendered = renderer.render(Fixtures.spec("spark-operator", WorkloadKind.DEPLOYMENT, "so-1",
                List.of(Fixtures.file("spark-operator-values.yaml", ConfigFormat.HELM_VALUES, Map.of("replicas", "3")))));

        assertThat((Object) Fixtures.at(rendered.workload(), "spec", "replicas")).isEqualTo(3);
    }

    @Test
    void aChartOfAnotherWorkloadKindIsRefused() {
        assertThatThrownBy(() -> renderer.render(Fixtures.spec("raycluster", WorkloadKind.DEPLOYMENT, "wrong", List.of())))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("must render exactly one Deployment");
    }

    @Test
    void anUnknownChartIsAClearFailure() {
        assertThatThrownBy(() -> renderer.render(Fixtures.spec("flink", WorkloadKind.DEPLOYMENT, "f", List.of())))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("no chart named 'flink'");
    }
}
