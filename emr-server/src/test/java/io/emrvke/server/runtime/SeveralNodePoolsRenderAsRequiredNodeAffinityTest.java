package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod template of every bundled chart (RayCluster head and workers too) is pinned to the cluster's pools. */
class SeveralNodePoolsRenderAsRequiredNodeAffinityTest {
    private static final String LABEL = "example.com/pool";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.emrvke.server.runtime.EveryChartRendersLabelledObjectsTest#charts")
    void severalPoolsBecomeOneInExpressionInTheGivenOrderWithoutRepeats(String chart, WorkloadKind kind) {
        List<Map<String, Object>> podSpecs = podSpecs(chart, kind,
                new NodePlacement(LABEL, List.of("spot", "gpu", "spot")));

        assertThat(podSpecs).hasSize(kind == WorkloadKind.RAY_CLUSTER ? 2 : 1);
        for (Map<String, Object> podSpec : podSpecs) {
            assertThat(podSpec).doesNotContainKey("nodeSelector");
            assertThat(podSpec.get("affinity")).isEqualTo(requiredNodeAffinity(
                    Map.of("key", LABEL, "operator", "In", "values", List.of("spot", "gpu"))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.emrvke.server.runtime.EveryChartRendersLabelledObjectsTest#charts")
    void onePoolStaysAPlainNodeSelectorWithoutAffinity(String chart, WorkloadKind kind) {
        for (Map<String, Object> podSpec : podSpecs(chart, kind, new NodePlacement(LABEL, List.of("gpu")))) {
            assertThat(podSpec).doesNotContainKey("affinity");
            assertThat(podSpec.get("nodeSelector")).isEqualTo(Map.of(LABEL, "gpu"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.emrvke.server.runtime.EveryChartRendersLabelledObjectsTest#charts")
    void noPoolLeavesTheSchedulerFree(String chart, WorkloadKind kind) {
        for (Map<String, Object> podSpec : podSpecs(chart, kind, NodePlacement.ANY_NODE)) {
            assertThat(podSpec).doesNotContainKeys("affinity", "nodeSelector");
        }
    }

    private static Map<String, Object> requiredNodeAffinity(Map<String, Object> expression) {
        Map<String, Object> term = Map.of("matchExpressions", List.of(expression));
        return Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution",
                Map.of("nodeSelectorTerms", List.of(term))));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> podSpecs(String chart, WorkloadKind kind, NodePlacement placement) {
        RenderedRelease rendered = Fixtures.renderer().render(Fixtures.spec(chart, kind, chart + "-7c1d", placement,
                List.of()));
        return PodTemplates.of(rendered.workload()).stream().map(t -> (Map<String, Object>) t.get("spec")).toList();
    }
}
