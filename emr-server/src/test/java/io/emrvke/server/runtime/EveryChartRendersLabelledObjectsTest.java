package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EveryChartRendersLabelledObjectsTest {
    static Stream<Arguments> charts() {
        return Stream.of(
                Arguments.of("spark-operator", WorkloadKind.DEPLOYMENT),
                Arguments.of("spark-history-server", WorkloadKind.DEPLOYMENT),
                Arguments.of("kuberay-operator", WorkloadKind.DEPLOYMENT),
                Arguments.of("hive-metastore", WorkloadKind.DEPLOYMENT),
                Arguments.of("kyuubi-server", WorkloadKind.DEPLOYMENT),
                Arguments.of("celeborn-master", WorkloadKind.STATEFUL_SET),
                Arguments.of("celeborn-worker", WorkloadKind.STATEFUL_SET),
                Arguments.of("zookeeper-server", WorkloadKind.STATEFUL_SET),
                Arguments.of("raycluster", WorkloadKind.RAY_CLUSTER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void rendersWorkloadAndConfigWithAllLabelsAndTheChecksum(String chart, WorkloadKind kind) {
        ReleaseSpec spec = Fixtures.spec(chart, kind, chart + "-4f2a", List.of(
                Fixtures.file("__envs__", ConfigFormat.ENV, Map.of("JAVA_OPTS", "-Xmx1g"))));

        RenderedRelease rendered = Fixtures.renderer().render(spec);

        List<String> kinds = rendered.objects().stream().map(GenericKubernetesResource::getKind).toList();
        if (kind == WorkloadKind.RAY_CLUSTER) {
            assertThat(kinds).containsExactly("ConfigMap", "RayCluster");
        } else if (chart.endsWith("-operator")) {
            assertThat(kinds).containsExactly("ConfigMap", "ServiceAccount", "Role", "RoleBinding", "Service",
                    kind.kind());
        } else {
            assertThat(kinds).containsExactly("ConfigMap", "Service", kind.kind());
        }
        Map<String, String> expected = Map.of(
                Labels.MANAGED_BY, "emr-vke",
                Labels.INSTANCE, chart + "-4f2a",
                Labels.NAME, Fixtures.componentOf(chart),
                Labels.CLUSTER_ID, "emr-vke-c1",
                Labels.APPLICATION, "Spark");
        for (GenericKubernetesResource object : rendered.objects()) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind()).containsAllEntriesOf(expected);
            assertThat(object.getMetadata().getNamespace()).isEqualTo("emr-ns-1");
        }
        assertThat(rendered.configChecksum()).matches("[0-9a-f]{64}");
        GenericKubernetesResource workload = rendered.workload();
        for (Map<String, Object> template : PodTemplates.of(workload)) {
            Map<String, Object> metadata = (Map<String, Object>) template.get("metadata");
            assertThat((Map<String, String>) metadata.get("labels")).containsAllEntriesOf(expected);
            assertThat((Map<String, String>) metadata.get("annotations"))
                    .containsEntry(Labels.CONFIG_CHECKSUM, rendered.configChecksum());
            Map<String, Object> podSpec = (Map<String, Object>) template.get("spec");
            assertThat((Map<String, String>) podSpec.get("nodeSelector")).containsEntry("pool", "big-data");
            List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
            assertThat(containers.get(0).get("image")).isEqualTo("registry.example.com/emr/emr/" + chart + ":1.0");
            assertThat((List<Map<String, Object>>) containers.get(0).get("env"))
                    .contains(Map.of("name", "JAVA_OPTS", "value", "-Xmx1g"));
        }
    }
}
