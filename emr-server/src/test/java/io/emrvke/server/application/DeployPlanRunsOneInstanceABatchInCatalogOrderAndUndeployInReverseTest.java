package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.operation.engine.PlannedStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle planners of {@link Deployments}, pure functions of the catalog: the default instances of the
 * requested applications (one per component, named {@code <chart>-<cluster suffix>}), one deploy step per
 * instance each in its own batch in catalog order, and undeploy steps in exactly the reverse catalog order.
 */
class DeployPlanRunsOneInstanceABatchInCatalogOrderAndUndeployInReverseTest {
    private static final Release RELEASE = Catalog.loadBundled().release("EMR-VKE-1.8.0").orElseThrow();
    private static final String CLUSTER = "vc-ab12cd34ef";

    @Test
    void theSuffixIsTheFirstFourCharactersAfterTheIdsPrefix() {
        assertThat(Deployments.clusterSuffix(CLUSTER)).isEqualTo("ab12");
    }

    @Test
    void eachRequestedApplicationGetsOneDefaultInstancePerComponentInCatalogOrder() {
        List<PlannedInstance> planned = Deployments.instancesOf(CLUSTER, List.of(requested("Spark"), requested("Ray")));

        assertThat(planned).extracting(p -> p.application().name() + "/" + p.component().name() + " "
                + p.releaseName()).containsExactly(
                "Spark/SparkOperator spark-operator-ab12",
                "Spark/SparkHistoryServer spark-history-server-ab12",
                "Ray/KubeRayOperator kuberay-operator-ab12",
                "Ray/RayCluster raycluster-ab12");
    }

    @Test
    void deployStepsRunOneInstanceABatchFromTheFirstBatchGiven() {
        List<PlannedInstance> planned = Deployments.instancesOf(CLUSTER, List.of(requested("Ray")));

        List<PlannedStep> steps = Deployments.deploySteps(planned, 1);

        assertThat(steps).containsExactly(
                new PlannedStep(1, "Ray", "KubeRayOperator", "kuberay-operator-ab12", "deploy"),
                new PlannedStep(2, "Ray", "RayCluster", "raycluster-ab12", "deploy"));
    }

    @Test
    void undeployStepsRunInReverseCatalogOrderWhateverOrderTheRowsCameIn() {
        List<InstanceRow> rows = List.of(
                row("Spark", "SparkOperator", "spark-operator-ab12"),
                row("Ray", "RayCluster", "ray-a"),
                row("Ray", "KubeRayOperator", "kuberay-operator-ab12"),
                row("Spark", "SparkHistoryServer", "spark-history-server-ab12"),
                row("Ray", "RayCluster", "raycluster-ab12"),
                row("Ray", "RayCluster", "ray-b"));

        List<PlannedStep> steps = Deployments.undeploySteps(RELEASE, rows, 3);

        assertThat(steps).extracting(PlannedStep::batchIndex).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(steps).extracting(PlannedStep::releaseName).containsExactly(
                "raycluster-ab12", "ray-b", "ray-a", "kuberay-operator-ab12",
                "spark-history-server-ab12", "spark-operator-ab12");
        assertThat(steps).extracting(PlannedStep::action).containsOnly("undeploy");
    }

    private static RequestedApplication requested(String name) {
        return new RequestedApplication(RELEASE.application(name).orElseThrow(), List.of(), "Applications.1");
    }

    private static InstanceRow row(String app, String component, String releaseName) {
        return InstanceRow.created(CLUSTER, releaseName, app, component, "Deployment", 1L);
    }
}
