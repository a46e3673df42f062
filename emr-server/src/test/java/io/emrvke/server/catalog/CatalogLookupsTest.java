package io.emrvke.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogLookupsTest {
    private final Catalog catalog = Catalog.loadBundled();
    private final Release release = catalog.release("EMR-VKE-1.8.0").orElseThrow();

    @Test
    void lookupsIgnoreCaseAndAnswerCanonicalNames() {
        assertThat(catalog.release("emr-vke-1.8.0")).map(Release::version).hasValue("EMR-VKE-1.8.0");
        assertThat(release.application("RAY")).map(ApplicationSpec::name).hasValue("Ray");
        assertThat(release.application("zookeeper")).map(ApplicationSpec::name).hasValue("ZooKeeper");
        ApplicationSpec ray = release.application("ray").orElseThrow();
        assertThat(ray.component("raycluster")).map(ComponentSpec::name).hasValue("RayCluster");
        assertThat(ray.configFile("RAY-CLUSTER-VALUES.YAML")).map(ConfigFileSpec::name).hasValue("ray-cluster-values.yaml");
        assertThat(ComponentAction.fromWire("RESTART")).hasValue(ComponentAction.RESTART);
    }

    @Test
    void lookupsOfUnknownNamesAreEmpty() {
        assertThat(catalog.release("EMR-VKE-9.9.9")).isEmpty();
        assertThat(catalog.release(null)).isEmpty();
        assertThat(release.application("Flink")).isEmpty();
        assertThat(release.application("Spark").orElseThrow().component("RayCluster")).isEmpty();
        assertThat(ComponentAction.fromWire("reboot")).isEmpty();
    }

    @Test
    void requireReleaseIsAnUnknownReleaseNamingFieldAndReleases() {
        assertThatThrownBy(() -> catalog.requireRelease("ReleaseVersion", "EMR-VKE-1.2.0"))
                .isInstanceOf(UnknownReleaseException.class)
                .hasMessage("ReleaseVersion 'EMR-VKE-1.2.0' is not a release version of this server;"
                        + " accepted: EMR-VKE-1.8.0, EMR-VKE-1.7.0, EMR-VKE-1.4.0.");
        assertThat(catalog.requireRelease("ReleaseVersion", "Emr-Vke-1.4.0").version()).isEqualTo("EMR-VKE-1.4.0");
    }

    @Test
    void requireApplicationNamesFieldAndAcceptedApplications() {
        assertThatThrownBy(() -> release.requireApplication("Applications.1.ApplicationName", "Flink"))
                .isInstanceOf(RefusedValueException.class)
                .hasMessage("Applications.1.ApplicationName 'Flink' is not an application of EMR-VKE-1.8.0;"
                        + " accepted: Spark, Ray, Celeborn, Hive, ZooKeeper, Kyuubi.");
        assertThat(release.requireApplication("Applications.1.ApplicationName", "KYUUBI").name()).isEqualTo("Kyuubi");
        assertThatThrownBy(() -> release.requireApplication("Applications.2.ApplicationName", " "))
                .hasMessage("Applications.2.ApplicationName must not be empty.");
    }

    @Test
    void requireConfigFileNamesFieldAndTheApplicationsFiles() {
        ApplicationSpec spark = release.application("Spark").orElseThrow();
        assertThatThrownBy(() -> spark.requireConfigFile("Applications.1.ApplicationConfigs.2.ConfigFileName", "hive-site.xml"))
                .isInstanceOf(RefusedValueException.class)
                .hasMessage("Applications.1.ApplicationConfigs.2.ConfigFileName 'hive-site.xml' is not a config file of Spark;"
                        + " accepted: spark-operator-values.yaml, spark-defaults.conf, __envs__.");
        assertThat(spark.requireConfigFile("f", "__ENVS__").name()).isEqualTo("__envs__");
    }

    @Test
    void requireComponentNamesFieldAndTheApplicationsComponents() {
        ApplicationSpec ray = release.application("Ray").orElseThrow();
        assertThatThrownBy(() -> ray.requireComponent("Components.1.ComponentNames.1", "SparkOperator"))
                .isInstanceOf(RefusedValueException.class)
                .hasMessage("Components.1.ComponentNames.1 'SparkOperator' is not a component of Ray;"
                        + " accepted: KubeRayOperator, RayCluster.");
    }

    @Test
    void validateKeyNamesFieldAndThePattern() {
        assertThat(ConfigItems.validateKey("K", "spark.eventLog.dir")).isEqualTo("spark.eventLog.dir");
        assertThat(ConfigItems.validateKey("K", "_a-b.c_9")).isEqualTo("_a-b.c_9");
        assertThatThrownBy(() -> ConfigItems.validateKey("Applications.1.ApplicationConfigs.2.ConfigItemKey", "9lives"))
                .isInstanceOf(RefusedValueException.class)
                .hasMessage("Applications.1.ApplicationConfigs.2.ConfigItemKey '9lives' is not a valid config item key:"
                        + " it must match [A-Za-z_][A-Za-z0-9_.-]*.");
        assertThatThrownBy(() -> ConfigItems.validateKey("K", "a b")).hasMessageContaining("K 'a b' is not a valid");
        assertThatThrownBy(() -> ConfigItems.validateKey("K", "")).hasMessage("K must not be empty.");
        assertThatThrownBy(() -> ConfigItems.validateKey("K", "a".repeat(257)))
                .hasMessage("K must be at most 256 characters, got 257.");
        assertThat(ConfigItems.validateKey("K", "a".repeat(256))).hasSize(256);
    }

    @Test
    void anItemCountsTheUtf8BytesOfItsKeyAndValueTowardsTheInstanceLimit() {
        assertThat(ConfigItems.bytesOf("K", "abc")).isEqualTo(4);
        assertThat(ConfigItems.bytesOf("K", "caf\u00e9")).isEqualTo(1 + 5);
        assertThat(ConfigItems.bytesOf("K", "\u65e5\u672c")).isEqualTo(1 + 6);
        assertThat(ConfigItems.bytesOf("K", "\ud834\udd1e")).as("a surrogate pair is one 4-byte code point")
                .isEqualTo(1 + 4);
        assertThat(ConfigItems.bytesOf("K", null)).isEqualTo(1);
    }

    @Test
    void secretKeysAreRecognisedAndRedacted() {
        assertThat(List.of("ve_secret_key", "ve_access_key", "DB_PASSWORD", "authToken", "javax.jdo.option.ConnectionPassword",
                "aws_credentials_file", "SecretKey")).allMatch(ConfigItems::isSecret);
        assertThat(List.of("event_log_dir", "cpu_requirements", "spark.eventLog.enabled", "pass", "accesskey"))
                .noneMatch(ConfigItems::isSecret);
        assertThat(ConfigItems.shown("ve_secret_key", "abc")).isEqualTo("******");
        assertThat(ConfigItems.shown("event_log_dir", "tos://x")).isEqualTo("tos://x");
    }

    @Test
    void missingDependencyIsNamedWhenNeitherDeployedNorRequested() {
        assertThat(release.dependencyProblems(List.of(), List.of("kyuubi")))
                .containsExactly("Kyuubi depends on Spark, which is neither deployed in the cluster nor requested");
        assertThat(release.dependencyProblems(List.of("Spark"), List.of("Kyuubi"))).isEmpty();
        assertThat(release.dependencyProblems(List.of(), List.of("KYUUBI", "spark"))).isEmpty();
        assertThatThrownBy(() -> release.requireDependencies("Applications", List.of("Ray"), List.of("Kyuubi", "Hive")))
                .isInstanceOf(RefusedValueException.class)
                .hasMessage("Applications: Kyuubi depends on Spark, which is neither deployed in the cluster nor requested;"
                        + " add Spark to the request.");
    }

    @Test
    void undeployingADependencyOfAStayingApplicationIsRefused() {
        assertThat(release.dependantProblems(List.of("Spark", "Kyuubi"), List.of("spark")))
                .containsExactly("Spark cannot be undeployed while Kyuubi, which depends on it, stays deployed");
        assertThat(release.dependantProblems(List.of("Spark", "Kyuubi"), List.of("Spark", "Kyuubi"))).isEmpty();
        assertThat(release.dependantProblems(List.of("Spark", "Ray"), List.of("Spark"))).isEmpty();
        assertThatThrownBy(() -> release.requireNoDependants("ApplicationNames", List.of("Spark", "Kyuubi"), List.of("Spark")))
                .hasMessage("ApplicationNames: Spark cannot be undeployed while Kyuubi, which depends on it, stays deployed.");
    }

    @Test
    void applicationsComeInCatalogOrderWhateverTheRequestOrder() {
        assertThat(release.inCatalogOrder(List.of("kyuubi", "Hive", "SPARK", "Spark")))
                .extracting(ApplicationSpec::name).containsExactly("Spark", "Hive", "Kyuubi");
    }

    @Test
    void anUnsupportedActionIsRefusedNamingTheSupportedOnes() {
        ComponentSpec restartOnly = new ComponentSpec("Probe", WorkloadKind.DEPLOYMENT, "probe", "x/probe:1", 1, false,
                List.of(ComponentAction.RESTART), List.of("__envs__"));
        assertThatThrownBy(() -> restartOnly.requireSupports("ActionName", ComponentAction.STOP))
                .isInstanceOf(UnsupportedActionException.class)
                .hasMessage("ActionName 'stop' is not supported by component Probe; supported: restart.");
        restartOnly.requireSupports("ActionName", ComponentAction.RESTART);
    }

    @Test
    void defaultInstanceNamesStartWithTheChart() {
        ComponentSpec rayCluster = release.application("Ray").orElseThrow().component("RayCluster").orElseThrow();
        assertThat(rayCluster.defaultInstanceName("4f2a")).isEqualTo("raycluster-4f2a");
    }
}
