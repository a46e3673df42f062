package io.emrvke.server.application;

import static io.emrvke.server.application.RuntimeFixtures.app;
import static io.emrvke.server.application.RuntimeFixtures.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ConfigFileValues;
import io.emrvke.server.runtime.ConfigFormat;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogComponentsMapToReleaseSpecsTest {

    private static ReleaseSpec spec(String app, String component, Map<String, Map<String, String>> items) {
        return ReleaseSpecs.forInstance("emr-c1", "emr-ns-c1", "inst-1", app(app), component(app, component), items,
                new NodePlacement("pool", List.of("emr")));
    }

    @Test
    void identityComesFromTheCatalogComponent() {
        ReleaseSpec spec = spec("Spark", "SparkHistoryServer", Map.of());

        assertThat(spec.releaseName()).isEqualTo("inst-1");
        assertThat(spec.namespace()).isEqualTo("emr-ns-c1");
        assertThat(spec.clusterId()).isEqualTo("emr-c1");
        assertThat(spec.application()).isEqualTo("Spark");
        assertThat(spec.component()).isEqualTo("SparkHistoryServer");
        assertThat(spec.chart()).isEqualTo("spark-history-server");
        assertThat(spec.image()).isEqualTo("apache/spark:3.5.1");
        assertThat(spec.kind()).isEqualTo(WorkloadKind.DEPLOYMENT);
        assertThat(spec.replicas()).isEqualTo(1);
        assertThat(spec.placement().nodeSelector()).containsEntry("pool", "emr");
    }

    @Test
    void everyCatalogFormatHasItsRuntimeCounterpart() {
        // workload kinds need no mapping: the catalog and the runtime share io.emrvke.server.kubernetes.WorkloadKind
        assertThat(Arrays.stream(io.emrvke.server.catalog.ConfigFormat.values()).map(ReleaseSpecs::configFormat))
                .containsExactly(ConfigFormat.HELM_VALUES, ConfigFormat.PROPERTIES, ConfigFormat.XML, ConfigFormat.YAML,
                        ConfigFormat.ENV);
    }

    @Test
    void onlyTheFilesTheComponentMountsArePassedInItsOrder() {
        assertThat(spec("Spark", "SparkHistoryServer", Map.of()).configFiles()).extracting(ConfigFileValues::fileName)
                .containsExactly("spark-defaults.conf", "__envs__");
        assertThat(spec("Spark", "SparkOperator", Map.of()).configFiles()).extracting(ConfigFileValues::fileName)
                .containsExactly("spark-operator-values.yaml", "spark-defaults.conf", "__envs__");
        assertThat(spec("Ray", "KubeRayOperator", Map.of()).configFiles()).extracting(ConfigFileValues::fileName)
                .containsExactly("__envs__");
        assertThat(spec("Hive", "HiveMetastore", Map.of()).configFiles()).extracting(ConfigFileValues::format)
                .containsExactly(ConfigFormat.XML, ConfigFormat.ENV);
    }

    @Test
    void instanceItemsOverrideDefaultsKeyByKeyAndNullRemovesOne() {
        Map<String, String> shs = new HashMap<>();
        shs.put("spark.ui.port", "4041");
        shs.put("spark.sql.adaptive.enabled", "false");
        shs.put("spark.serializer", null);
        ReleaseSpec spec = spec("Spark", "SparkHistoryServer", Map.of("SPARK-DEFAULTS.CONF", shs,
                "spark-operator-values.yaml", Map.of("cpu_requirements", "4")));

        Map<String, String> defaults = spec.configFiles().get(0).items();
        assertThat(defaults).containsEntry("spark.ui.port", "4041")
                .containsEntry("spark.sql.adaptive.enabled", "false")
                .containsEntry("spark.eventLog.enabled", "true")
                .doesNotContainKey("spark.serializer");
        assertThat(spec.configFiles()).extracting(ConfigFileValues::fileName).doesNotContain("spark-operator-values.yaml");
    }

    @Test
    void rayClusterSizeIsItsWorkerReplicasItem() {
        assertThat(spec("Ray", "RayCluster", Map.of()).replicas()).isEqualTo(2);
        assertThat(spec("Ray", "RayCluster", Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", " 5 ")))
                .replicas()).isEqualTo(5);
        assertThat(spec("Ray", "RayCluster", Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", " 5 ")))
                .configFiles().get(0).items()).containsEntry("worker_replicas", "5");
    }

    @Test
    void aWorkerReplicasThatIsNoCountIsAnInvalidParameterNamingTheItem() {
        for (String bad : new String[] {"three", "-1", "2.5"}) {
            assertThatThrownBy(() -> spec("Ray", "RayCluster", Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", bad))))
                    // answered InvalidParameter by api.DomainErrors (DomainExceptionsAnswerTheirDocumentedCodesTest)
                    .isInstanceOf(InvalidConfigValueException.class)
                    .hasMessageContaining("worker_replicas").hasMessageContaining("ray-cluster-values.yaml");
        }
    }

    @Test
    void everyComponentOfEveryBundledReleaseMapsAndRendersWithItsChart() {
        for (Release release : Catalog.loadBundled().releases()) {
            for (ApplicationSpec application : release.applications()) {
                for (ComponentSpec component : application.components()) {
                    ReleaseSpec spec = ReleaseSpecs.forInstance("emr-c1", "ns", "inst-1", application, component,
                            null, null);
                    var rendered = RuntimeFixtures.renderer().render(spec);
                    assertThat(rendered.workload().getKind()).as(release.version() + " " + component.name())
                            .isEqualTo(spec.kind().kind());
                }
            }
        }
    }
}
