package io.emrvke.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogDirectoryAddsApplicationsTest {
    private static final String TRINO_IN_1_8_0 = """
            releaseVersion: EMR-VKE-1.8.0
            applications:
              - name: Trino
                version: "435"
                dependsOn: [hive]
                configFiles:
                  - name: config.properties
                    format: properties
                    defaults:
                      query.max-memory: "4GB"
                  - name: __envs__
                    format: env
                components:
                  - name: TrinoCoordinator
                    workloadKind: Deployment
                    chart: trino-coordinator
                    image: "acme/trino:435"
                    replicas: 1
                    supportedActions: [start, stop, restart]
                    configFiles: [config.properties, __envs__]
            """;

    @TempDir
    Path dir;

    @Test
    void aCatalogDirectoryAppendsAnApplicationToABundledRelease() {
        Catalog catalog = Catalog.loadBundledPlus(TestCatalogs.write(dir, "EMR-VKE-1.8.0", TRINO_IN_1_8_0));

        Release release = catalog.release("EMR-VKE-1.8.0").orElseThrow();
        assertThat(release.applicationNames())
                .containsExactly("Spark", "Ray", "Celeborn", "Hive", "ZooKeeper", "Kyuubi", "Trino");
        ApplicationSpec trino = release.application("trino").orElseThrow();
        assertThat(trino.dependsOn()).as("dependency spelled canonically").containsExactly("Hive");
        assertThat(trino.component("trinocoordinator").orElseThrow().image()).isEqualTo("acme/trino:435");
        assertThat(catalog.release("EMR-VKE-1.7.0").orElseThrow().application("Trino")).isEmpty();
    }

    @Test
    void aCatalogDirectoryAddsANewRelease() {
        Catalog catalog = Catalog.loadBundledPlus(TestCatalogs.write(dir, "EMR-VKE-1.10.0",
                TestCatalogs.VALID_RELEASE.replace("TEST-1.0.0", "EMR-VKE-1.10.0")));

        assertThat(catalog.releaseVersions())
                .containsExactly("EMR-VKE-1.10.0", "EMR-VKE-1.8.0", "EMR-VKE-1.7.0", "EMR-VKE-1.4.0");
    }

    @Test
    void aCatalogDirectoryCannotRedefineABundledApplication() {
        String spark = TRINO_IN_1_8_0.replace("name: Trino", "name: spark");
        Path catalog = TestCatalogs.write(dir, "EMR-VKE-1.8.0", spark);

        assertThatThrownBy(() -> Catalog.loadBundledPlus(catalog))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("releases/EMR-VKE-1.8.0.yaml (catalog directory " + dir + "), application spark:"
                        + " the application is already defined in EMR-VKE-1.8.0 (releases/EMR-VKE-1.8.0.yaml (bundled catalog),"
                        + " application Spark)");
    }

    @Test
    void anAddedApplicationCannotDependOnOneItsReleaseLacks() {
        Path catalog = TestCatalogs.write(dir, "EMR-VKE-1.4.0", TRINO_IN_1_8_0.replace("EMR-VKE-1.8.0", "EMR-VKE-1.4.0"));

        assertThatThrownBy(() -> Catalog.loadBundledPlus(catalog))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("dependsOn 'hive' is not an application listed before Trino in EMR-VKE-1.4.0"
                        + " (dependencies come first in catalog order); listed before: Spark, Ray, Celeborn.");
    }

    @Test
    void aCatalogDirectoryAloneHoldsOnlyItsOwnReleasesAndShowsItsCharts() throws Exception {
        TestCatalogs.write(dir, "TEST-1.0.0", TestCatalogs.VALID_RELEASE);
        Files.createDirectories(dir.resolve("charts/base-server"));

        Catalog catalog = Catalog.load(dir);

        assertThat(catalog.releaseVersions()).containsExactly("TEST-1.0.0");
        assertThat(catalog.chartsDirectories()).containsExactly(dir.resolve("charts"));
        assertThat(Catalog.loadBundled().chartsDirectories()).isEmpty();
    }
}
