package io.emrvke.server.application;

import static io.emrvke.server.application.RuntimeFixtures.app;
import static io.emrvke.server.application.RuntimeFixtures.at;
import static io.emrvke.server.application.RuntimeFixtures.component;
import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.RenderedRelease;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flat keys the catalog documents for helm-values files really change what the charts render. */
class CatalogValuesItemsShapeTheChartsTest {

    private static RenderedRelease render(String app, String component, Map<String, Map<String, String>> items) {
        return RuntimeFixtures.renderer().render(ReleaseSpecs.forInstance("emr-c1", "emr-ns-c1", "inst-1", app(app),
                component(app, component), items, NodePlacement.ANY_NODE));
    }

    @Test
    void workerReplicasSetsTheRayClusterWorkerCount() {
        var ray = render("Ray", "RayCluster", Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", "3"))).workload();

        assertThat((Object) at(ray, "spec", "workerGroupSpecs", "0", "replicas")).isEqualTo(3);
        assertThat((Object) at(ray, "spec", "workerGroupSpecs", "0", "maxReplicas")).isEqualTo(10);
    }

    @Test
    void catalogDefaultsGiveTwoWorkersAndTheDocumentedResources() {
        var ray = render("Ray", "RayCluster", Map.of()).workload();

        assertThat((Object) at(ray, "spec", "workerGroupSpecs", "0", "replicas")).isEqualTo(2);
        Map<String, Object> head = at(ray, "spec", "headGroupSpec", "template", "spec", "containers", "0", "resources");
        assertThat(head).isEqualTo(Map.of("requests", Map.of("cpu", "1", "memory", "2Gi"),
                "limits", Map.of("cpu", "1", "memory", "2Gi")));
    }

    @Test
    void headAndWorkerItemsSetTheirContainersResources() {
        var ray = render("Ray", "RayCluster", Map.of("ray-cluster-values.yaml", Map.of(
                "head_cpu", "2", "head_memory", "4Gi", "worker_cpu", "500m", "worker_memory", "8Gi"))).workload();

        assertThat((Object) at(ray, "spec", "headGroupSpec", "template", "spec", "containers", "0", "resources",
                "limits", "memory")).isEqualTo("4Gi");
        assertThat((Object) at(ray, "spec", "headGroupSpec", "template", "spec", "containers", "0", "resources",
                "requests", "cpu")).isEqualTo("2");
        assertThat((Object) at(ray, "spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources",
                "requests", "cpu")).isEqualTo("500m");
        assertThat((Object) at(ray, "spec", "workerGroupSpecs", "0", "template", "spec", "containers", "0", "resources",
                "limits", "memory")).isEqualTo("8Gi");
    }

    @Test
    void cpuRequirementsSetsTheSparkOperatorResources() {
        var operator = render("Spark", "SparkOperator", Map.of("spark-operator-values.yaml", Map.of(
                "cpu_requirements", "2", "memory_requirements", "3Gi"))).workload();

        Map<String, Object> resources = at(operator, "spec", "template", "spec", "containers", "0", "resources");
        assertThat(resources).isEqualTo(Map.of("requests", Map.of("cpu", "2", "memory", "3Gi"),
                "limits", Map.of("cpu", "2", "memory", "3Gi")));
    }

    @Test
    void controllerThreadsBecomesTheOperatorFlag() {
        var defaults = render("Spark", "SparkOperator", Map.of()).workload();
        var changed = render("Spark", "SparkOperator", Map.of("spark-operator-values.yaml",
                Map.of("controller_threads", "32"))).workload();

        assertThat((List<Object>) at(defaults, "spec", "template", "spec", "containers", "0", "args"))
                .endsWith("--controller-threads=10");
        assertThat((List<Object>) at(changed, "spec", "template", "spec", "containers", "0", "args"))
                .endsWith("--controller-threads=32").doesNotContain("--controller-threads=10");
    }

    @Test
    void nestedChartPathsStillWorkWhereNoCatalogItemSaysOtherwise() {
        var operator = render("Spark", "SparkOperator", Map.of("spark-operator-values.yaml", Map.of(
                "resources.limits.ephemeral-storage", "1Gi"))).workload();

        Map<String, Object> limits = at(operator, "spec", "template", "spec", "containers", "0", "resources", "limits");
        assertThat(limits).containsEntry("ephemeral-storage", "1Gi").containsEntry("cpu", "1");
    }

    @Test
    void componentsWithoutResourceItemsRenderNoResources() {
        var shs = render("Spark", "SparkHistoryServer", Map.of()).workload();

        assertThat((Object) at(shs, "spec", "template", "spec", "containers", "0", "resources")).isNull();
    }
}
