package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApplyCreatesUpdatesAndPrunesTest {
    private final MockCluster cluster = new MockCluster(false);
    private final KubernetesRuntime runtime = cluster.runtime("test");

    @AfterEach
    void close() {
        runtime.close();
        cluster.close();
    }

    private static ReleaseSpec withSecret(boolean secret) {
        return Fixtures.deployment("shs-1", List.of(Fixtures.file("__envs__", ConfigFormat.ENV,
                secret ? Map.of("DB_PASSWORD", "pw", "A", "1") : Map.of("A", "1"))));
    }

    @Test
    void applyCreatesEveryRenderedObject() {
        runtime.ensureNamespace("emr-ns-1", Map.of(Labels.CLUSTER_ID, "emr-vke-c1"));

        ApplyResult result = runtime.apply(withSecret(true));

        assertThat(result.created()).containsExactly("ConfigMap/shs-1-config", "Secret/shs-1-secret", "Service/shs-1",
                "Deployment/shs-1");
        assertThat(cluster.client.namespaces().withName("emr-ns-1").get().getMetadata().getLabels())
                .containsEntry(Labels.MANAGED_BY, "emr-vke");
        GenericKubernetesResource deployment = cluster.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), "emr-ns-1", "shs-1");
        assertThat(deployment.getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "shs-1");
        assertThat(result.configChecksum()).isEqualTo(deployment.getMetadata().getAnnotations().get(Labels.CONFIG_CHECKSUM));
    }

    @Test
    void reapplyingTheSameRevisionWritesNothing() {
        runtime.apply(withSecret(true));

        ApplyResult again = runtime.apply(withSecret(true));

        assertThat(again.created()).isEmpty();
        assertThat(again.updated()).isEmpty();
        assertThat(again.unchanged()).hasSize(4);
    }

    @Test
    void aRevisionWithoutTheSecretPrunesIt() {
        runtime.apply(withSecret(true));

        ApplyResult result = runtime.apply(withSecret(false));

        assertThat(result.deleted()).containsExactly("Secret/shs-1-secret");
        assertThat(cluster.get(ObjectKind.SECRET, "emr-ns-1", "shs-1-secret")).isNull();
        assertThat(cluster.get(ObjectKind.CONFIG_MAP, "emr-ns-1", "shs-1-config")).isNotNull();
    }

    @Test
    void aConfigChangeUpdatesTheConfigButLeavesPodsAloneUntilRestart() {
        ApplyResult first = runtime.apply(withSecret(false));
        String templateChecksum = templateChecksum();

        ApplyResult second = runtime.apply(Fixtures.deployment("shs-1", List.of(
                Fixtures.file("__envs__", ConfigFormat.ENV, Map.of("A", "1")),
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "4041")))));

        assertThat(second.configChecksum()).isNotEqualTo(first.configChecksum());
        GenericKubernetesResource deployment = cluster.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), "emr-ns-1", "shs-1");
        assertThat(deployment.getMetadata().getAnnotations()).containsEntry(Labels.CONFIG_CHECKSUM, second.configChecksum());
        assertThat(templateChecksum()).isEqualTo(templateChecksum);
        assertThat(ConfigFilesRenderInTheirOwnFormatTest.configDataOf(cluster.get(ObjectKind.CONFIG_MAP, "emr-ns-1", "shs-1-config")))
                .containsEntry("spark-defaults.conf", "spark.ui.port 4041\n");
    }

    @Test
    void deleteReleaseRemovesEverythingLabelledWithItAndNothingElse() {
        runtime.apply(withSecret(true));
        runtime.apply(Fixtures.deployment("shs-2", List.of()));
        cluster.pod("emr-ns-1", "shs-1", "shs-1-abc", null, null);

        int deleted = runtime.deleteRelease(new InstanceRef("emr-ns-1", "shs-1"));

        assertThat(deleted).isEqualTo(4);
        for (ObjectKind kind : List.of(ObjectKind.of(WorkloadKind.DEPLOYMENT), ObjectKind.SERVICE, ObjectKind.CONFIG_MAP)) {
            assertThat(cluster.get(kind, "emr-ns-1", kind == ObjectKind.CONFIG_MAP ? "shs-1-config" : "shs-1")).isNull();
            assertThat(cluster.get(kind, "emr-ns-1", kind == ObjectKind.CONFIG_MAP ? "shs-2-config" : "shs-2")).isNotNull();
        }
        assertThat(cluster.client.pods().inNamespace("emr-ns-1").withName("shs-1-abc").get()).isNull();
    }

    private String templateChecksum() {
        GenericKubernetesResource deployment = cluster.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), "emr-ns-1", "shs-1");
        return PodTemplates.annotations(PodTemplates.of(deployment).get(0)).get(Labels.CONFIG_CHECKSUM);
    }
}
