package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsAreExtractedOnceAndExtendableTest {
    @TempDir
    Path work;

    @Test
    void theSameBuildReusesItsExtractedChartsWithTheLibraryVendored() {
        ChartRepository first = ChartRepository.extract(work);
        ChartRepository second = ChartRepository.extract(work);

        assertThat(second.directory()).isEqualTo(first.directory());
        assertThat(first.chartNames()).containsExactly("celeborn-master", "celeborn-worker", "hive-metastore",
                "kuberay-operator", "kyuubi-server", "raycluster", "spark-history-server", "spark-operator", "zookeeper-server");
        assertThat(first.chart("raycluster").resolve("charts/emr-common/Chart.yaml")).exists();
    }

    @Test
    void aPlatformTeamsChartInTheExtraDirectoryRendersWithTheLibrary() throws Exception {
        Path extra = work.resolve("my-charts");
        Path chart = extra.resolve("flink-history");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), """
                apiVersion: v2
                name: flink-history
                version: 0.1.0
                dependencies:
                  - name: emr-common
                    version: 1.0.0
                    repository: file://../emr-common
                """);
        Files.copy(ChartRepository.extract(work).chart("spark-history-server").resolve("values.yaml"), chart.resolve("values.yaml"));
        Files.writeString(chart.resolve("templates/release.yaml"), "{{ include \"emr-common.deploymentRelease\" . }}\n");

        ChartRepository charts = ChartRepository.extract(work.resolve("w2"), extra);
        RenderedRelease rendered = new ChartRenderer(charts, "").render(Fixtures.spec("flink-history",
                WorkloadKind.DEPLOYMENT, "fh-1", List.of()));

        assertThat(charts.chartNames()).contains("flink-history", "spark-operator");
        assertThat(rendered.workload().getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "fh-1");
    }
}
