package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.emrvke.server.ServerConfig;
import io.emrvke.server.catalog.TestCatalogs;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release added through the catalog directory ({@code serve --catalog-dir}) with a chart of its
 * own ({@code charts/probe-server} in that directory): a cluster of it comes up running that chart.
 * Its component's {@code supportedActions} leave out stop: RunApplicationAction stop on it, at
 * COMPONENT or APPLICATION scope, is refused with 400 OperationDenied.UnsupportedAction naming the
 * component and the actions it supports, and no operation is created; restart, which it supports, runs.
 */
class CatalogDirectoryReleaseRunsItsOwnChartAndRefusesUnsupportedActionsTest {
    private static final String RELEASE = "EMR-VKE-TEST-1.0.0";
    private static final String RELEASE_YAML = """
            releaseVersion: EMR-VKE-TEST-1.0.0
            applications:
              - name: Probe
                version: "1.0"
                configFiles:
                  - name: __envs__
                    format: env
                components:
                  - name: ProbeServer
                    workloadKind: Deployment
                    chart: probe-server
                    image: "acme/probe:1.0"
                    replicas: 1
                    supportedActions: [start, restart]
                    configFiles: [__envs__]
            """;

    @TempDir
    static Path catalogDir;
    private static ActionPlane plane;
    private static String clusterId;

    @BeforeAll
    static void startWithTheCatalogDirectory() {
        TestCatalogs.write(catalogDir, RELEASE, RELEASE_YAML);
        writeProbeServerChart(catalogDir.resolve("charts/probe-server"));
        plane = ActionPlane.start(c -> withCatalogDir(c, catalogDir));
        JsonNode created = plane.call("CreateVirtualCluster", Map.of("ClusterName", "probe", "ReleaseVersion",
                RELEASE, "VkeCluster", Map.of("VkeClusterId", "sandbox"),
                "Applications", List.of(Map.of("ApplicationName", "Probe"))));
        JsonNode op = plane.awaitOperation(created.path("OperationId").asText());
        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
        clusterId = created.path("ClusterId").asText();
    }

    @AfterAll
    static void stop() {
        plane.close();
    }

    @Test
    void theClusterRunsTheCatalogDirectorysOwnChart() {
        String releaseName = "probe-server-" + ActionPlane.suffix(clusterId);
        Deployment probe = plane.kube.apps().deployments().inNamespace(plane.namespace(clusterId))
                .withName(releaseName).get();
        assertThat(probe).as("the Deployment the probe-server chart renders").isNotNull();
        assertThat(probe.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("acme/probe:1.0");
        assertThat(plane.instances(clusterId).get(releaseName).path("InstanceState").asText()).isEqualTo("RUNNING");
    }

    @Test
    void listComponentsShowsWhatTheCatalogAllows() {
        JsonNode component = plane.call("ListComponents", Map.of("ClusterId", clusterId)).path("Items").get(0);
        assertThat(component.path("ComponentName").asText()).isEqualTo("ProbeServer");
        assertThat(component.path("SupportedActions").toString()).isEqualTo("[\"start\",\"restart\"]");
    }

    @Test
    void stopOfTheNamedComponentIsRefusedNamingItAndWhatItSupports() {
        assertRefused(action(clusterId, "stop", "COMPONENT", "Probe", List.of("ProbeServer"), Map.of()));
    }

    @Test
    void stopOfTheWholeApplicationIsRefusedForTheSameComponent() {
        assertRefused(action(clusterId, "STOP", "APPLICATION", "Probe", List.of(), Map.of()));
    }

    @Test
    void restartWhichItSupportsRuns() {
        JsonNode op = plane.runAndAwait(action(clusterId, "restart", "COMPONENT", "Probe", List.of("ProbeServer"),
                Map.of()));
        assertThat(op.path("OperationState").asText()).as(op.toString()).isEqualTo("SUCCESS");
    }

    private static void assertRefused(Map<String, Object> body) {
        long before = runApplicationActions();
        JsonNode error = plane.error("RunApplicationAction", body);

        assertThat(error.path("HttpStatus").asInt()).isEqualTo(400);
        assertThat(error.path("Code").asText()).isEqualTo("OperationDenied.UnsupportedAction");
        assertThat(error.path("Message").asText())
                .isEqualTo("ActionName 'stop' is not supported by component ProbeServer; supported: start, restart.");
        assertThat(runApplicationActions()).as("no operation for a refused request").isEqualTo(before);
    }

    private static long runApplicationActions() {
        return plane.call("ListOperations", Map.of("ClusterIds", List.of(clusterId),
                "OperationNames", List.of("RunApplicationAction"))).path("TotalCount").asLong();
    }

    /** A Deployment chart on the library chart, as a platform team would write one. */
    private static void writeProbeServerChart(Path chart) {
        try {
            Files.createDirectories(chart.resolve("templates"));
            Files.writeString(chart.resolve("Chart.yaml"), """
                    apiVersion: v2
                    name: probe-server
                    version: 0.1.0
                    dependencies:
                      - name: emr-common
                        version: 1.0.0
                        repository: file://../emr-common
                    """);
            Files.writeString(chart.resolve("values.yaml"), """
                    emr: {clusterId: "", application: "", component: "", configFiles: {}, secretData: {},
                          env: [], secretEnv: []}
                    image: ""
                    replicas: 1
                    nodeSelector: {}
                    resources: {}
                    args: []
                    ports: [{name: http, port: 8080}]
                    """);
            Files.writeString(chart.resolve("templates/release.yaml"),
                    "{{ include \"emr-common.deploymentRelease\" . }}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ServerConfig has no wither for the catalog directory; serve sets it from --catalog-dir. */
    private static ServerConfig withCatalogDir(ServerConfig c, Path dir) {
        return new ServerConfig(c.bind(), c.port(), c.dataDir(), c.region(), c.databaseUrl(), c.rateLimitPerSecond(),
                c.rateLimitBurst(), c.clockSkew(), c.maxBodyBytes(), c.sandbox(), c.sandboxPort(),
                c.sandboxPodReadyMs(), c.kubeconfigTargets(), c.registryPrefix(), c.chartsDir(), dir,
                c.operationLease(), c.nodePoolLabel());
    }
}
