package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFilesRenderInTheirOwnFormatTest {
    private final ChartRenderer renderer = Fixtures.renderer();

    @Test
    void confFilesAreSpaceSeparatedPropertiesAndCfgFilesUseEquals() {
        RenderedRelease rendered = renderer.render(Fixtures.deployment("shs-1", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES,
                        Map.of("spark.eventLog.enabled", "true", "spark.eventLog.dir", "s3a://logs/spark")),
                Fixtures.file("zoo.cfg", ConfigFormat.PROPERTIES, Map.of("tickTime", "2000", "initLimit", "10")))));

        Map<String, String> data = configData(rendered, "shs-1");
        assertThat(data.get("spark-defaults.conf"))
                .isEqualTo("spark.eventLog.dir s3a://logs/spark\nspark.eventLog.enabled true\n");
        assertThat(data.get("zoo.cfg")).isEqualTo("initLimit=10\ntickTime=2000\n");
    }

    @Test
    void xmlFilesAreHadoopConfigurationWithEscapedValues() {
        RenderedRelease rendered = renderer.render(Fixtures.spec("hive-metastore", WorkloadKind.DEPLOYMENT, "hms-1",
                List.of(Fixtures.file("hive-site.xml", ConfigFormat.XML, Map.of(
                        "javax.jdo.option.ConnectionURL", "jdbc:mysql://db:3306/hive?a=1&b=2",
                        "hive.metastore.warehouse.dir", "/user/hive/warehouse")))));

        assertThat(configData(rendered, "hms-1").get("hive-site.xml")).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration>
                  <property>
                    <name>hive.metastore.warehouse.dir</name>
                    <value>/user/hive/warehouse</value>
                  </property>
                  <property>
                    <name>javax.jdo.option.ConnectionURL</name>
                    <value>jdbc:mysql://db:3306/hive?a=1&amp;b=2</value>
                  </property>
                </configuration>
                """);
    }

    @Test
    void yamlFilesAreAFlatMapping() {
        RenderedRelease rendered = renderer.render(Fixtures.deployment("shs-2", List.of(
                Fixtures.file("log-config.yaml", ConfigFormat.YAML, Map.of("level", "INFO", "format", "json")))));

        assertThat(configData(rendered, "shs-2").get("log-config.yaml")).isEqualTo("format: json\nlevel: INFO\n");
    }

    @Test
    void changingAConfigItemChangesTheChecksum() {
        RenderedRelease before = renderer.render(Fixtures.deployment("shs-3", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "4040")))));
        RenderedRelease again = renderer.render(Fixtures.deployment("shs-3", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "4040")))));
        RenderedRelease after = renderer.render(Fixtures.deployment("shs-3", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "4041")))));

        assertThat(again.configChecksum()).isEqualTo(before.configChecksum());
        assertThat(after.configChecksum()).isNotEqualTo(before.configChecksum());
    }

    @Test
    void registryPrefixIsPrependedOnce() {
        assertThat(renderer.imageFor("emr/spark:3.5.1")).isEqualTo("registry.example.com/emr/emr/spark:3.5.1");
        assertThat(renderer.imageFor("registry.example.com/emr/spark:3.5.1"))
                .isEqualTo("registry.example.com/emr/spark:3.5.1");
        ChartRenderer noPrefix = new ChartRenderer(renderer.charts(), "");
        assertThat(noPrefix.imageFor("emr/spark:3.5.1")).isEqualTo("emr/spark:3.5.1");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> configData(RenderedRelease rendered, String release) {
        return configDataOf(rendered.find(ObjectKind.CONFIG_MAP, release + "-config").orElseThrow());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> configDataOf(GenericKubernetesResource configMap) {
        return (Map<String, String>) configMap.getAdditionalProperties().get("data");
    }
}
