package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs an operator chart carries are shared by every virtual cluster of a target: the first deploy of the
 * operator installs them, later ones (from any emr-vke process) leave them alone, a newer operator version
 * upgrades them with the custom resources kept, an older one never downgrades them, an administrator's own
 * definition is not touched, and deleting a virtual cluster leaves them in place. On the sandbox, which serves
 * a custom resource only while its CRD exists.
 */
class OperatorCrdsAreInstalledOnceAndNeverDowngradedTest {
    private static final String SPARK_CRD = "sparkapplications.sparkoperator.k8s.io";
    private static final ResourceDefinitionContext SPARK_APPLICATION = new ResourceDefinitionContext.Builder()
            .withGroup("sparkoperator.k8s.io").withVersion("v1beta2").withKind("SparkApplication")
            .withPlural("sparkapplications").withNamespaced(true).build();

    @TempDir
    Path work;
    private Sandbox sandbox;
    private KubernetesClient client;

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = Sandbox.start(SandboxConfig.inMemory(100));
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig()).build()).build();
    }

    @AfterEach
    void stopSandbox() {
        client.close();
        sandbox.close();
    }

    @Test
    void theFirstOperatorDeployInstallsItsCrdsAndLaterOnesFromAnyProcessLeaveThemAlone() {
        try (KubernetesRuntime first = runtime(Fixtures.renderer())) {
            first.apply(operator("spark-operator", "emr-ns-a", "spark-op-a"));
        }
        GenericKubernetesResource installed = crd(SPARK_CRD);
        assertThat(installed.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "emr-vke");
        assertThat(installed.getMetadata().getAnnotations())
                .containsEntry(Labels.CRD_VERSION, "v1beta2-1.4.3-3.5.0")
                .containsEntry(Labels.CRD_CHART, "spark-operator");

        try (KubernetesRuntime second = runtime(Fixtures.renderer())) {
            second.apply(operator("spark-operator", "emr-ns-b", "spark-op-b"));
        }

        assertThat(crd(SPARK_CRD).getMetadata().getResourceVersion())
                .isEqualTo(installed.getMetadata().getResourceVersion());
        assertThat(crd("scheduledsparkapplications.sparkoperator.k8s.io")).isNotNull();
        assertThat(sparkApplicationsInNamespace("emr-ns-b")).isEmpty(); // the kind is served
    }

    @Test
    void aNewerOperatorVersionUpgradesTheCrdAndTheCustomResourcesStay() throws IOException {
        try (KubernetesRuntime bundled = runtime(Fixtures.renderer())) {
            bundled.apply(operator("spark-operator", "emr-ns-a", "spark-op-a"));
        }
        createSparkApplication("emr-ns-a", "pi");

        try (KubernetesRuntime upgraded = runtime(rendererWithSparkOperator("v2.0.2", "v0.99.0-newer"))) {
            upgraded.apply(operator("spark-operator", "emr-ns-b", "spark-op-b"));
        }

        GenericKubernetesResource crd = crd(SPARK_CRD);
        assertThat(crd.getMetadata().getAnnotations()).containsEntry(Labels.CRD_VERSION, "v2.0.2")
                .containsEntry("controller-gen.kubebuilder.io/version", "v0.99.0-newer");
        assertThat(sparkApplicationsInNamespace("emr-ns-a")).extracting(o -> o.getMetadata().getName())
                .containsExactly("pi");
    }

    @Test
    void anOlderOperatorVersionNeverDowngradesWhatANewerOneInstalled() throws IOException {
        try (KubernetesRuntime upgraded = runtime(rendererWithSparkOperator("v2.0.2", "v0.99.0-newer"))) {
            upgraded.apply(operator("spark-operator", "emr-ns-b", "spark-op-b"));
        }
        String newer = crd(SPARK_CRD).getMetadata().getResourceVersion();

        try (KubernetesRuntime bundled = runtime(Fixtures.renderer())) {
            bundled.apply(operator("spark-operator", "emr-ns-a", "spark-op-a"));
        }

        GenericKubernetesResource crd = crd(SPARK_CRD);
        assertThat(crd.getMetadata().getResourceVersion()).isEqualTo(newer);
        assertThat(crd.getMetadata().getAnnotations()).containsEntry(Labels.CRD_VERSION, "v2.0.2");
    }

    @Test
    void aCrdTheAdministratorInstalledIsLeftAsItIsAndTheOthersAreAdded() {
        GenericKubernetesResource before = crd(KubernetesRuntime.RAY_CRD); // the sandbox's own, not emr-vke's

        try (KubernetesRuntime runtime = runtime(Fixtures.renderer())) {
            runtime.apply(operator("kuberay-operator", "emr-ns-a", "kuberay-a"));
            assertThat(runtime.health().rayClusterCrd()).isTrue();
        }

        GenericKubernetesResource after = crd(KubernetesRuntime.RAY_CRD);
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getLabels()).doesNotContainKey(Labels.MANAGED_BY);
        assertThat(crd("rayjobs.ray.io").getMetadata().getAnnotations()).containsEntry(Labels.CRD_VERSION, "v1.1.1");
        assertThat(crd("rayservices.ray.io")).isNotNull();
    }

    @Test
    void deletingAVirtualClusterLeavesTheSharedCrdsForTheOthers() {
        try (KubernetesRuntime runtime = runtime(Fixtures.renderer())) {
            runtime.apply(operator("spark-operator", "emr-ns-a", "spark-op-a"));
            runtime.apply(operator("spark-operator", "emr-ns-b", "spark-op-b"));

            runtime.deleteNamespace("emr-ns-a");
        }

        assertThat(crd(SPARK_CRD)).isNotNull();
        assertThat(sparkApplicationsInNamespace("emr-ns-b")).isEmpty();
    }

    private KubernetesRuntime runtime(ChartRenderer renderer) {
        KubernetesClient runtimeClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(sandbox.clientConfig()).build()).build();
        KubernetesRuntime runtime = new KubernetesRuntime("sandbox", runtimeClient, renderer).start();
        for (String namespace : List.of("emr-ns-a", "emr-ns-b")) {
            runtime.ensureNamespace(namespace, Map.of());
        }
        return runtime;
    }

    private static ReleaseSpec operator(String chart, String namespace, String release) {
        return new ReleaseSpec(release, namespace, "emr-vke-c1", "Spark", Fixtures.componentOf(chart), chart,
                WorkloadKind.DEPLOYMENT, "emr/" + chart + ":1.0", 1, NodePlacement.ANY_NODE, List.of());
    }

    /** The bundled spark-operator chart as a later catalog would ship it: a newer operator, changed CRDs. */
    private ChartRenderer rendererWithSparkOperator(String appVersion, String generatorVersion) throws IOException {
        Path extra = work.resolve("newer-charts");
        Path chart = extra.resolve("spark-operator");
        ChartRepository.copyTree(Fixtures.renderer().charts().chart("spark-operator"), chart);
        Path chartYaml = chart.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml).replace("v1beta2-1.4.3-3.5.0", appVersion));
        try (Stream<Path> files = Files.list(chart.resolve("crds"))) {
            for (Path file : files.toList()) {
                Files.writeString(file, Files.readString(file).replace(
                        "controller-gen.kubebuilder.io/version: (unknown)",
                        "controller-gen.kubebuilder.io/version: " + generatorVersion));
            }
        }
        return new ChartRenderer(ChartRepository.extract(work.resolve("w"), extra), "");
    }

    private GenericKubernetesResource crd(String name) {
        return client.genericKubernetesResources(CrdInstaller.CRD).withName(name).get();
    }

    private List<GenericKubernetesResource> sparkApplicationsInNamespace(String namespace) {
        return client.genericKubernetesResources(SPARK_APPLICATION).inNamespace(namespace).list().getItems();
    }

    private void createSparkApplication(String namespace, String name) {
        client.genericKubernetesResources(SPARK_APPLICATION).inNamespace(namespace).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("sparkoperator.k8s.io/v1beta2")
                        .withKind("SparkApplication").withNewMetadata().withName(name).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("type", "Scala", "mode", "cluster",
                                "sparkVersion", "3.5.1", "mainClass", "org.apache.spark.examples.SparkPi"))
                        .build()).create();
    }
}
