package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The garbage collector follows ownerReferences as kube-controller-manager's does: deleting a Deployment removes
 * its ReplicaSets and their pods, a StatefulSet its pods, a RayCluster its pods and head Service; an owner deleted
 * with the orphan finalizer leaves its dependents, freed of it; with foregroundDeletion it stays (terminating)
 * until they are gone; an object whose owners never existed is deleted.
 */
class DeletingAnOwnerDeletesWhatItOwnsTest {
    @Test
    void deletingAWorkloadDeletesEverythingItOwnsDownTheChain() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            client.apps().deployments().inNamespace("default").resource(deployment("web", 2, List.of())).create();
            client.apps().statefulSets().inNamespace("default").resource(new StatefulSetBuilder()
                    .withNewMetadata().withName("zk").endMetadata().withNewSpec().withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", "zk")).endSelector()
                    .withTemplate(template("zk", List.of())).endSpec().build()).create();
            client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("default")
                    .resource(RayClusterSuspendAndResumeTest.rayCluster("ray", 1)).create();
            eventually(Duration.ofSeconds(10), "5 ready pods and the head Service", () ->
                    client.pods().inNamespace("default").list().getItems().stream().filter(SandboxTestSupport::ready).count() == 5
                            && client.services().inNamespace("default").withName("ray-head-svc").get() != null);

            client.apps().deployments().inNamespace("default").withName("web").delete();
            eventually(Duration.ofSeconds(10), "web's ReplicaSet and pods gone", () -> podsOf(client, "default", "web").isEmpty()
                    && client.apps().replicaSets().inNamespace("default").withLabel("app", "web").list().getItems().isEmpty());
            client.apps().statefulSets().inNamespace("default").withName("zk").delete();
            eventually(Duration.ofSeconds(10), "zk's pod gone", () -> podsOf(client, "default", "zk").isEmpty());
            client.genericKubernetesResources(RayClusterSuspendAndResumeTest.RAY).inNamespace("default").withName("ray").delete();
            eventually(Duration.ofSeconds(10), "ray's pods and Service gone", () ->
                    client.pods().inNamespace("default").withLabel("ray.io/cluster", "ray").list().getItems().isEmpty()
                            && client.services().inNamespace("default").withName("ray-head-svc").get() == null);
        }
    }

    @Test
    void theOrphanFinalizerLeavesTheDependentsWithoutTheOwner() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("keep", 2, List.of());
            d.getMetadata().setFinalizers(List.of("orphan")); // what --cascade=orphan asks the API server for
            client.apps().deployments().inNamespace("default").resource(d).create();
            eventually(Duration.ofSeconds(10), "2 ready", () -> podsOf(client, "default", "keep").stream()
                    .filter(SandboxTestSupport::ready).count() == 2);
            String podUidsBefore = podUids(client, "keep");

            client.apps().deployments().inNamespace("default").withName("keep").delete();
            eventually(Duration.ofSeconds(10), "the Deployment gone", () ->
                    client.apps().deployments().inNamespace("default").withName("keep").get() == null);
            List<ReplicaSet> left = client.apps().replicaSets().inNamespace("default").withLabel("app", "keep").list().getItems();
            assertThat(left).singleElement().satisfies(rs -> assertThat(rs.getMetadata().getOwnerReferences()).isEmpty());
            assertThat(podUids(client, "keep")).as("the pods run on, still the ReplicaSet's").isEqualTo(podUidsBefore);
            assertThat(podsOf(client, "default", "keep")).allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences())
                    .singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo(left.get(0).getMetadata().getName())));

            // the Deployment made again adopts the orphaned ReplicaSet: same template, same pods
            client.apps().deployments().inNamespace("default").resource(deployment("keep", 2, List.of())).create();
            eventually(Duration.ofSeconds(10), "the ReplicaSet adopted", () -> {
                ReplicaSet rs = client.apps().replicaSets().inNamespace("default").withName(left.get(0).getMetadata().getName()).get();
                return rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().size() == 1;
            });
            assertThat(podUids(client, "keep")).isEqualTo(podUidsBefore);
        }
    }

    @Test
    void theForegroundFinalizerKeepsTheOwnerUntilItsDependentsAreGone() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            Deployment d = deployment("fg", 2, List.of());
            d.getMetadata().setFinalizers(List.of("foregroundDeletion")); // what --cascade=foreground asks for
            client.apps().deployments().inNamespace("default").resource(d).create();
            eventually(Duration.ofSeconds(10), "2 ready", () -> podsOf(client, "default", "fg").stream()
                    .filter(SandboxTestSupport::ready).count() == 2);

            client.apps().deployments().inNamespace("default").withName("fg").delete();
            eventually(Duration.ofSeconds(10), "everything gone, the Deployment last", () ->
                    client.apps().deployments().inNamespace("default").withName("fg").get() == null
                            && client.apps().replicaSets().inNamespace("default").withLabel("app", "fg").list().getItems().isEmpty()
                            && podsOf(client, "default", "fg").isEmpty());
        }
    }

    @Test
    void anObjectWhoseOwnerNeverExistedIsDeleted() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var configMaps = client.configMaps().inNamespace("default");
            configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("stray")
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                            .withName("ghost").withUid("9d8e6c2a-0000-4000-8000-000000000001").build())
                    .endMetadata().addToData("a", "b").build()).create();
            configMaps.resource(new ConfigMapBuilder().withNewMetadata().withName("plain").endMetadata()
                    .addToData("a", "b").build()).create();
            eventually(Duration.ofSeconds(10), "the stray ConfigMap deleted", () -> configMaps.withName("stray").get() == null);
            assertThat(configMaps.withName("plain").get()).isNotNull();
        }
    }

    private static String podUids(KubernetesClient client, String app) {
        return podsOf(client, "default", app).stream().map(p -> p.getMetadata().getUid()).sorted().toList().toString();
    }
}
