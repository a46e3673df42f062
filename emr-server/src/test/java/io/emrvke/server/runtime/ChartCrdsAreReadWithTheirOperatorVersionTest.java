package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator chart's crds/ folder holds, and how operator versions are ordered for upgrades. */
class ChartCrdsAreReadWithTheirOperatorVersionTest {
    @TempDir
    Path work;

    @Test
    void theOperatorChartsCarryTheirOperatorsCrdsAndOtherChartsNone() {
        ChartRepository charts = Fixtures.renderer().charts();

        ChartCrds kuberay = charts.crds("kuberay-operator");
        assertThat(kuberay.version()).isEqualTo("v1.1.1");
        assertThat(kuberay.definitions()).extracting(ChartCrds.Definition::name)
                .containsExactly("rayclusters.ray.io", "rayjobs.ray.io", "rayservices.ray.io");
        assertThat(charts.crds("spark-operator").definitions()).extracting(ChartCrds.Definition::name)
                .containsExactly("scheduledsparkapplications.sparkoperator.k8s.io",
                        "sparkapplications.sparkoperator.k8s.io");
        assertThat(charts.crds("raycluster").isEmpty()).isTrue();
        assertThat(charts.crds("spark-history-server").isEmpty()).isTrue();
    }

    @Test
    void versionsCompareByTheirNumbersLeftToRight() {
        assertThat(ChartCrds.compareVersions("v1.1.1", "v1.3.0")).isNegative();
        assertThat(ChartCrds.compareVersions("v1.10.0", "v1.9.9")).isPositive();
        assertThat(ChartCrds.compareVersions("v1beta2-1.4.3-3.5.0", "v1beta2-1.4.6-3.5.0")).isNegative();
        assertThat(ChartCrds.compareVersions("v2.0.2", "v1beta2-1.4.6-3.5.0")).isPositive();
        assertThat(ChartCrds.compareVersions("1.1.1", "v1.1.1")).isZero();
        assertThat(ChartCrds.compareVersions("v1.1.1", null)).isPositive();
    }

    @Test
    void aChartWithCrdsButNoOperatorVersionOrWithAnotherKindThereIsRefusedNamingTheFile() throws Exception {
        Path extra = work.resolve("charts");
        writeChart(extra.resolve("no-version"), "", "kind: CustomResourceDefinition\n"
                + "apiVersion: apiextensions.k8s.io/v1\nmetadata: {name: things.example.com}\n");
        writeChart(extra.resolve("not-a-crd"), "appVersion: \"1.0\"\n", "kind: ConfigMap\napiVersion: v1\n"
                + "metadata: {name: sneaky}\n");
        ChartRepository charts = ChartRepository.extract(work.resolve("w"), extra);

        assertThatThrownBy(() -> charts.crds("no-version")).isInstanceOfSatisfying(RuntimeFailure.class,
                f -> assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.RENDER_FAILED))
                .hasMessageContaining("no appVersion");
        assertThatThrownBy(() -> charts.crds("not-a-crd")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("things.yaml holds a v1 ConfigMap");
    }

    private static void writeChart(Path chart, String appVersion, String crd) throws Exception {
        Files.createDirectories(chart.resolve("crds"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: " + chart.getFileName()
                + "\nversion: 0.1.0\n" + appVersion);
        Files.writeString(chart.resolve("crds/things.yaml"), crd);
    }
}
