package io.emrvke.server.application;

import static io.emrvke.server.application.ActionPlane.action;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * start, stop and restart at APPLICATION, COMPONENT and COMPONENT_INSTANCE scope, through the
 * official SDK: the right instances in the right order, desired and observed state in
 * ListComponentInstances, a stopped instance started by restart, start of a running one SKIP.
 */
@StartedPlanes.Shared
class EachActionAtEachScopeTest {
    private static ActionPlane plane;
    private static String clusterId;
    private static String sparkOperator;
    private static String historyServer;
    private static String ray;

    @BeforeAll
    static void start() {
        clusterId = plane.runningCluster("scopes", "Spark", "Ray");
        String suffix = ActionPlane.suffix(clusterId);
        sparkOperator = "spark-operator-" + suffix;
        historyServer = "spark-history-server-" + suffix;
        ray = "raycluster-" + suffix;
        plane.addRayCluster(clusterId, "ray-b");
    }

    private static JsonNode run(String actionName, String scope, String app, List<String> components,
                                Map<String, String> params) {
        return plane.runAndAwait(action(clusterId, actionName, scope, app, components, params));
    }

    private static String state(String release) {
        JsonNode i = plane.instances(clusterId).get(release);
        return i.path("DesiredState").asText() + "/" + i.path("InstanceState").asText();
    }

    @Test
    void applicationScopeStopsInReverseCatalogOrderAndStartsAndRestartsInCatalogOrder() {
        JsonNode stopped = run("STOP", "application", "spark", List.of(), Map.of());
        assertThat(stopped.path("OperationState").asText()).as(stopped.toString()).isEqualTo("SUCCESS");
        assertThat(ActionPlane.steps(stopped)).containsExactly("stop " + historyServer + " SUCCESS",
                "stop " + sparkOperator + " SUCCESS");
        assertThat(plane.pods(clusterId, sparkOperator)).isEmpty();
        assertThat(plane.pods(clusterId, historyServer)).isEmpty();
        assertThat(state(sparkOperator)).isEqualTo("STOPPED/STOPPED");
        assertThat(state(historyServer)).isEqualTo("STOPPED/STOPPED");

        JsonNode started = run("start", "APPLICATION", "Spark", List.of(), Map.of());
        assertThat(started.path("OperationState").asText()).as(started.toString()).isEqualTo("SUCCESS");
        assertThat(ActionPlane.steps(started)).containsExactly("start " + sparkOperator + " SUCCESS",
                "start " + historyServer + " SUCCESS");
        assertThat(state(sparkOperator)).isEqualTo("RUNNING/RUNNING");
        List<String> before = plane.podUids(clusterId, historyServer);

        JsonNode restarted = run("restart", "APPLICATION", "Spark", List.of(), Map.of());
        assertThat(restarted.path("OperationState").asText()).as(restarted.toString()).isEqualTo("SUCCESS");
        assertThat(ActionPlane.steps(restarted)).containsExactly("restart " + sparkOperator + " SUCCESS",
                "restart " + historyServer + " SUCCESS");
        assertThat(plane.podUids(clusterId, historyServer)).hasSize(1).doesNotContainAnyElementsOf(before);

        JsonNode again = run("start", "APPLICATION", "Spark", List.of(), Map.of());
        assertThat(again.path("OperationState").asText()).isEqualTo("SKIP");
        assertThat(ActionPlane.steps(again)).containsExactly("start " + sparkOperator + " SKIP",
                "start " + historyServer + " SKIP");
        assertThat(again.path("Steps").get(0).path("Message").asText()).contains("already running");
        assertThat(again.path("Progress").path("Skipped").asInt()).isEqualTo(2);
    }

    @Test
    void componentScopeActsOnTheNamedComponentAndRestartStartsAStoppedInstance() {
        List<String> operatorPods = plane.podUids(clusterId, sparkOperator);
        JsonNode stopped = run("stop", "COMPONENT", "Spark", List.of("sparkhistoryserver"), Map.of());
        assertThat(ActionPlane.steps(stopped)).containsExactly("stop " + historyServer + " SUCCESS");
        assertThat(state(historyServer)).isEqualTo("STOPPED/STOPPED");

        JsonNode restarted = run("restart", "COMPONENT", "Spark", List.of("SparkHistoryServer"), Map.of());

        assertThat(restarted.path("OperationState").asText()).as(restarted.toString()).isEqualTo("SUCCESS");
        assertThat(restarted.path("Steps").get(0).path("Message").asText()).contains("started");
        assertThat(state(historyServer)).isEqualTo("RUNNING/RUNNING");
        assertThat(plane.pods(clusterId, historyServer)).hasSize(1);
        assertThat(plane.podUids(clusterId, sparkOperator)).isEqualTo(operatorPods);
    }

    @Test
    void componentInstanceScopeActsOnlyOnTheNamedInstances() {
        List<String> first = plane.podUids(clusterId, ray);
        JsonNode stopped = run("stop", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"),
                Map.of("releaseName", "ray-b"));
        assertThat(ActionPlane.steps(stopped)).containsExactly("stop ray-b SUCCESS");
        assertThat(plane.pods(clusterId, "ray-b")).isEmpty();
        assertThat(state("ray-b")).isEqualTo("STOPPED/STOPPED");
        assertThat(plane.podUids(clusterId, ray)).isEqualTo(first);

        JsonNode restartedStopped = run("restart", "COMPONENT_INSTANCE", "Ray", List.of(),
                Map.of("releaseName", "ray-b"));
        assertThat(restartedStopped.path("OperationState").asText()).as(restartedStopped.toString())
                .isEqualTo("SUCCESS");
        assertThat(state("ray-b")).isEqualTo("RUNNING/RUNNING");
        assertThat(plane.pods(clusterId, "ray-b")).hasSize(3);

        JsonNode started = run("start", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"),
                Map.of("releaseName", "ray-b"));
        assertThat(ActionPlane.steps(started)).containsExactly("start ray-b SKIP");

        List<String> second = plane.podUids(clusterId, "ray-b");
        JsonNode both = run("restart", "COMPONENT_INSTANCE", "Ray", List.of("RayCluster"),
                Map.of("releaseName", " ray-b , " + ray));
        assertThat(both.path("OperationState").asText()).isEqualTo("SUCCESS");
        assertThat(ActionPlane.steps(both)).containsExactlyInAnyOrder("restart ray-b SUCCESS",
                "restart " + ray + " SUCCESS");
        assertThat(plane.podUids(clusterId, ray)).doesNotContainAnyElementsOf(first);
        assertThat(plane.podUids(clusterId, "ray-b")).doesNotContainAnyElementsOf(second);
    }
}
