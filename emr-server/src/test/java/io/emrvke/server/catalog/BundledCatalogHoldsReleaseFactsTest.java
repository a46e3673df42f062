package io.emrvke.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BundledCatalogHoldsReleaseFactsTest {
    private final Catalog catalog = Catalog.loadBundled();

    @Test
    void releasesAreListedNewestFirst() {
        assertThat(catalog.releaseVersions()).containsExactly("EMR-VKE-1.8.0", "EMR-VKE-1.7.0", "EMR-VKE-1.4.0");
    }

    @Test
    void eachReleaseHoldsItsApplicationVersionsInCatalogOrder() {
        assertThat(versions("EMR-VKE-1.4.0")).containsExactly(
                Map.entry("Spark", "3.5.1"), Map.entry("Ray", "2.9.3"), Map.entry("Celeborn", "0.3.1"));
        assertThat(versions("EMR-VKE-1.7.0")).containsExactly(
                Map.entry("Spark", "3.5.1"), Map.entry("Ray", "2.30.0"), Map.entry("Celeborn", "0.3.1"),
                Map.entry("Hive", "3.1.3"), Map.entry("ZooKeeper", "3.7.1"), Map.entry("Kyuubi", "1.8.1"));
        assertThat(versions("EMR-VKE-1.8.0")).containsExactly(
                Map.entry("Spark", "3.5.1"), Map.entry("Ray", "2.39.0"), Map.entry("Celeborn", "0.5.0"),
                Map.entry("Hive", "3.1.3"), Map.entry("ZooKeeper", "3.7.1"), Map.entry("Kyuubi", "1.8.1"));
    }

    @Test
    void componentsComeOperatorsFirstWithTheirWorkloadKindsChartsAndSizes() {
        Release release = catalog.release("EMR-VKE-1.8.0").orElseThrow();
        List<ComponentSpec> all = release.applications().stream().flatMap(a -> a.components().stream()).toList();
        assertThat(all).extracting(ComponentSpec::name, ComponentSpec::workloadKind, ComponentSpec::chart,
                ComponentSpec::replicas, ComponentSpec::multiInstance).containsExactly(
                tuple("SparkOperator", WorkloadKind.DEPLOYMENT, "spark-operator", 1, false),
                tuple("SparkHistoryServer", WorkloadKind.DEPLOYMENT, "spark-history-server", 1, false),
                tuple("KubeRayOperator", WorkloadKind.DEPLOYMENT, "kuberay-operator", 1, false),
                tuple("RayCluster", WorkloadKind.RAY_CLUSTER, "raycluster", 2, true),
                tuple("CelebornMaster", WorkloadKind.STATEFUL_SET, "celeborn-master", 3, false),
                tuple("CelebornWorker", WorkloadKind.STATEFUL_SET, "celeborn-worker", 3, true),
                tuple("HiveMetastore", WorkloadKind.DEPLOYMENT, "hive-metastore", 1, false),
                tuple("ZookeeperServer", WorkloadKind.STATEFUL_SET, "zookeeper-server", 3, false),
                tuple("KyuubiServer", WorkloadKind.DEPLOYMENT, "kyuubi-server", 1, false));
        assertThat(all).allSatisfy(c -> assertThat(c.supportedActions())
                .containsExactly(ComponentAction.START, ComponentAction.STOP, ComponentAction.RESTART));
        assertThat(WorkloadKind.RAY_CLUSTER.apiVersion()).isEqualTo("ray.io/v1");
    }

    @Test
    void olderReleasesHoldOnlyTheirApplicationsComponents() {
        Release release = catalog.release("EMR-VKE-1.4.0").orElseThrow();
        assertThat(release.applications().stream().flatMap(a -> a.componentNames().stream()).toList())
                .containsExactly("SparkOperator", "SparkHistoryServer", "KubeRayOperator", "RayCluster",
                        "CelebornMaster", "CelebornWorker");
    }

    @Test
    void imagesAreTheUpstreamImagesOfTheApplicationVersionOfTheirRelease() {
        assertThat(image("EMR-VKE-1.4.0", "Ray", "RayCluster")).isEqualTo("rayproject/ray:2.9.3");
        assertThat(image("EMR-VKE-1.7.0", "Ray", "KubeRayOperator")).isEqualTo("quay.io/kuberay/operator:v1.1.1");
        assertThat(image("EMR-VKE-1.8.0", "Ray", "RayCluster")).isEqualTo("rayproject/ray:2.39.0");
        assertThat(image("EMR-VKE-1.8.0", "Celeborn", "CelebornWorker")).isEqualTo("apache/celeborn:0.5.0");
        assertThat(image("EMR-VKE-1.8.0", "Spark", "SparkHistoryServer")).isEqualTo("apache/spark:3.5.1");
        assertThat(image("EMR-VKE-1.8.0", "Spark", "SparkOperator"))
                .isEqualTo("ghcr.io/kubeflow/spark-operator:v1beta2-1.4.3-3.5.0");
        assertThat(image("EMR-VKE-1.8.0", "Hive", "HiveMetastore")).isEqualTo("apache/hive:3.1.3");
        assertThat(image("EMR-VKE-1.8.0", "ZooKeeper", "ZookeeperServer")).isEqualTo("zookeeper:3.7.1");
        assertThat(image("EMR-VKE-1.8.0", "Kyuubi", "KyuubiServer")).isEqualTo("apache/kyuubi:1.8.1-spark");
    }

    @Test
    void everyNonOperatorImageIsTaggedWithItsApplicationVersionAndNoneIsAPlaceholder() {
        for (Release release : catalog.releases()) {
            for (ApplicationSpec app : release.applications()) {
                for (ComponentSpec c : app.components()) {
                    assertThat(c.image()).as(c.name()).doesNotStartWith("emr-vke/");
                    if (!c.name().endsWith("Operator")) {
                        assertThat(c.image()).as(c.name()).contains(":" + app.version());
                    }
                }
            }
        }
    }

    @Test
    void onlyKyuubiHasADependencyAndItIsSpark() {
        for (Release release : catalog.releases()) {
            Map<String, List<String>> deps = release.applications().stream()
                    .filter(a -> !a.dependsOn().isEmpty())
                    .collect(Collectors.toMap(ApplicationSpec::name, ApplicationSpec::dependsOn));
            assertThat(deps).isEqualTo(release.application("Kyuubi").isPresent()
                    ? Map.of("Kyuubi", List.of("Spark")) : Map.of());
        }
    }

    @Test
    void everyApplicationHasItsConfigFilesAndEnvs() {
        Release release = catalog.release("EMR-VKE-1.8.0").orElseThrow();
        Map<String, List<String>> files = new LinkedHashMap<>();
        release.applications().forEach(a -> files.put(a.name(), a.configFileNames()));
        assertThat(files).containsExactly(
                Map.entry("Spark", List.of("spark-operator-values.yaml", "spark-defaults.conf", "__envs__")),
                Map.entry("Ray", List.of("ray-cluster-values.yaml", "__envs__")),
                Map.entry("Celeborn", List.of("celeborn-defaults.conf", "__envs__")),
                Map.entry("Hive", List.of("hive-site.xml", "__envs__")),
                Map.entry("ZooKeeper", List.of("zoo.cfg", "__envs__")),
                Map.entry("Kyuubi", List.of("kyuubi-defaults.conf", "__envs__")));
        ApplicationSpec spark = release.application("Spark").orElseThrow();
        assertThat(spark.configFile("spark-operator-values.yaml").orElseThrow().format()).isEqualTo(ConfigFormat.HELM_VALUES);
        assertThat(spark.configFile("spark-operator-values.yaml").orElseThrow().defaults())
                .containsEntry("cpu_requirements", "1").containsEntry("memory_requirements", "1Gi");
        assertThat(spark.configFile("spark-defaults.conf").orElseThrow().defaults())
                .containsEntry("spark.eventLog.enabled", "true");
        assertThat(release.application("Hive").orElseThrow().configFile("hive-site.xml").orElseThrow().format())
                .isEqualTo(ConfigFormat.XML);
        assertThat(release.applications()).allSatisfy(a ->
                assertThat(a.configFile("__envs__").orElseThrow().format()).isEqualTo(ConfigFormat.ENV));
    }

    @Test
    void everyComponentMountsEnvsAndOnlyFilesOfItsApplication() {
        for (Release release : catalog.releases()) {
            for (ApplicationSpec app : release.applications()) {
                for (ComponentSpec c : app.components()) {
                    assertThat(c.configFiles()).contains("__envs__");
                    assertThat(app.configFilesOf(c)).extracting(ConfigFileSpec::name).isEqualTo(c.configFiles());
                }
            }
        }
    }

    @Test
    void noDefaultIsASecretAndEveryKeyIsValid() {
        catalog.releases().stream().flatMap(r -> r.applications().stream()).flatMap(a -> a.configFiles().stream())
                .flatMap(f -> f.defaults().keySet().stream())
                .forEach(key -> {
                    assertThat(ConfigItems.isSecret(key)).as(key).isFalse();
                    assertThat(ConfigItems.isValidKey(key)).as(key).isTrue();
                });
    }

    @Test
    void rayWorkerReplicasDefaultAgreesWithTheRayClusterSize() {
        for (Release release : catalog.releases()) {
            ApplicationSpec ray = release.application("Ray").orElseThrow();
            assertThat(ray.configFile("ray-cluster-values.yaml").orElseThrow().defaults().get("worker_replicas"))
                    .isEqualTo(String.valueOf(ray.component("RayCluster").orElseThrow().replicas()));
        }
    }

    private Map<String, String> versions(String release) {
        Map<String, String> out = new LinkedHashMap<>();
        catalog.release(release).orElseThrow().applications().forEach(a -> out.put(a.name(), a.version()));
        return out;
    }

    private String image(String release, String app, String component) {
        return catalog.release(release).orElseThrow().application(app).orElseThrow()
                .component(component).orElseThrow().image();
    }
}
