package io.emrvke.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokenCatalogIsRefusedWithClearMessageTest {
    @TempDir
    Path dir;

    @Test
    void theUnbrokenTestCatalogLoads() {
        Catalog catalog = Catalog.load(TestCatalogs.write(dir, "TEST-1.0.0", TestCatalogs.VALID_RELEASE));
        assertThat(catalog.release("TEST-1.0.0").orElseThrow().applicationNames()).containsExactly("Base", "Top");
    }

    static Stream<Arguments> brokenRules() {
        return Stream.of(
                Arguments.of("unknown dependency", "dependsOn: [Base]", "dependsOn: [Bsae]",
                        "application Top: dependsOn 'Bsae' is not an application listed before Top in TEST-1.0.0"),
                Arguments.of("self dependency", "dependsOn: [Base]", "dependsOn: [Top]",
                        "dependsOn 'Top' is not an application listed before Top"),
                Arguments.of("component mounts a file its application lacks", "configFiles: [base.conf, __envs__]",
                        "configFiles: [top.conf, __envs__]",
                        "application Base, component BaseServer: config file 'top.conf' is not a config file of its"
                                + " application; declared: base.conf, __envs__"),
                Arguments.of("duplicate application", "name: Top", "name: BASE",
                        "application BASE: the application is already defined in TEST-1.0.0"),
                Arguments.of("duplicate component in a release", "name: TopServer", "name: baseserver",
                        "component names must be unique in a release; Base already has BaseServer"),
                Arguments.of("duplicate chart in a release", "chart: top-server", "chart: base-server",
                        "chart 'base-server' is already used by Base/BaseServer"),
                Arguments.of("duplicate config file", "name: base.conf\n        format: properties",
                        "name: __envs__\n        format: env",
                        "config file __envs__: the config file is defined twice"),
                Arguments.of("unknown workload kind", "workloadKind: StatefulSet", "workloadKind: DaemonSet",
                        "component TopServer: workloadKind 'DaemonSet' is not one of Deployment, StatefulSet, RayCluster"),
                Arguments.of("unknown action", "supportedActions: [start, restart]", "supportedActions: [start, reboot]",
                        "supported action 'reboot' is not one of start, stop, restart"),
                Arguments.of("no action", "supportedActions: [start, restart]", "supportedActions: []",
                        "'supportedActions' must list at least one of start, stop, restart"),
                Arguments.of("unknown format", "format: properties", "format: ini",
                        "config file base.conf: format 'ini' is not one of helm-values, properties, xml, yaml, env"),
                Arguments.of("application without __envs__", "      - name: __envs__\n        format: env\n    components:\n      - name: TopServer",
                        "    components:\n      - name: TopServer",
                        "application Top: every application needs the config file __envs__"),
                Arguments.of("secret default", "base.port: \"8080\"", "admin_password: \"changeme\"",
                        "default key 'admin_password' names a secret"),
                Arguments.of("invalid default key", "base.port: \"8080\"", "\"9port\": \"8080\"",
                        "default key '9port' is not a valid config item key"),
                Arguments.of("decimal default not quoted", "base.port: \"8080\"", "base.ratio: 1.10",
                        "value of 'base.ratio' must be a string (quote it)"),
                Arguments.of("default key given twice", "base.port: \"8080\"", "base.port: \"8080\"\n          base.port: \"9090\"",
                        "not valid YAML: Duplicate field 'base.port'"),
                Arguments.of("more defaults than a request at its limit leaves room for", "base.port: \"8080\"",
                        manyDefaults(ConfigItems.MAX_DEFAULTS_PER_COMPONENT + 1),
                        "component BaseServer: its config files hold 501 defaults; at most 500 per component"),
                Arguments.of("unknown field", "replicas: 3", "replica: 3",
                        "component TopServer: unknown field 'replica'"),
                Arguments.of("zero replicas for a Deployment", "replicas: 1", "replicas: 0",
                        "component BaseServer: 'replicas' must be between 1 and 1000, got 0"),
                Arguments.of("chart not a DNS label", "chart: top-server", "chart: Top_Server",
                        "chart 'Top_Server' must be a lower-case DNS label"),
                Arguments.of("application name not a label value", "name: Top", "name: Top Level",
                        "'name' 'Top Level' must be letters, digits"),
                Arguments.of("missing image", "        image: \"x/top:2.0\"\n", "",
                        "component TopServer: 'image' is missing"),
                Arguments.of("release file disagrees with the index", "releaseVersion: TEST-1.0.0",
                        "releaseVersion: TEST-1.0.1", "'releaseVersion' is 'TEST-1.0.1' but index.yaml lists this file as 'TEST-1.0.0'"),
                Arguments.of("invalid YAML", "dependsOn: [Base]", "dependsOn: [Base",
                        "releases/TEST-1.0.0.yaml (catalog directory "));
    }

    /** {@code count} default lines for the properties file of the test catalog. */
    private static String manyDefaults(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append(i == 0 ? "" : "\n          ").append("base.key").append(i).append(": \"x\"");
        }
        return lines.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void aBrokenRuleIsNamedWithItsFileAndElement(String rule, String from, String to, String expected) {
        assertThat(TestCatalogs.VALID_RELEASE).as("test setup: the text to break").contains(from);
        String broken = TestCatalogs.VALID_RELEASE.replace(from, to);
        Path catalog = TestCatalogs.write(dir, "TEST-1.0.0", broken);

        assertThatThrownBy(() -> Catalog.load(catalog))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("releases/TEST-1.0.0.yaml (catalog directory " + dir + ")")
                .hasMessageContaining(expected);
    }

    @Test
    void aDependencyListedAfterItsDependantIsRefused() {
        String swapped = """
                releaseVersion: TEST-1.0.0
                applications:
                  - name: Top
                    version: "2.0"
                    dependsOn: [Base]
                    configFiles: [{name: __envs__, format: env}]
                    components:
                      - {name: TopServer, workloadKind: Deployment, chart: top, image: "x/top:2", replicas: 1,
                         supportedActions: [restart], configFiles: [__envs__]}
                  - name: Base
                    version: "1.0"
                    configFiles: [{name: __envs__, format: env}]
                    components:
                      - {name: BaseServer, workloadKind: Deployment, chart: base, image: "x/base:1", replicas: 1,
                         supportedActions: [restart], configFiles: [__envs__]}
                """;
        assertThatThrownBy(() -> Catalog.load(TestCatalogs.write(dir, "TEST-1.0.0", swapped)))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("dependsOn 'Base' is not an application listed before Top in TEST-1.0.0"
                        + " (dependencies come first in catalog order); listed before: none");
    }

    @Test
    void anIndexNamingAMissingReleaseFileIsRefused() throws Exception {
        TestCatalogs.write(dir, "TEST-1.0.0", TestCatalogs.VALID_RELEASE);
        Files.writeString(dir.resolve("index.yaml"), "releases: [TEST-1.0.0, TEST-2.0.0]\n");
        assertThatThrownBy(() -> Catalog.load(dir))
                .isInstanceOf(CatalogException.class)
                .hasMessage("releases/TEST-2.0.0.yaml (catalog directory " + dir + "): file not found.");
    }

    @Test
    void aReleaseListedTwiceInTheIndexIsRefused() throws Exception {
        TestCatalogs.write(dir, "TEST-1.0.0", TestCatalogs.VALID_RELEASE);
        Files.writeString(dir.resolve("index.yaml"), "releases: [TEST-1.0.0, test-1.0.0]\n");
        assertThatThrownBy(() -> Catalog.load(dir))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("index.yaml (catalog directory " + dir + "): release version 'test-1.0.0' is listed twice");
    }

    @Test
    void aMissingDirectoryIsRefused() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> Catalog.load(missing))
                .isInstanceOf(CatalogException.class)
                .hasMessage("Catalog directory " + missing + " does not exist or is not a directory.");
    }
}
