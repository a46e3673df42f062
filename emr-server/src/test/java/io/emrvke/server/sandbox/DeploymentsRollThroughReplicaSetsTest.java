package io.emrvke.server.sandbox;

import static io.emrvke.server.sandbox.SandboxTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Deployment's pods belong to a ReplicaSet per pod template, as kube-controller-manager makes them: new
 * templates roll to a new ReplicaSet within maxSurge/maxUnavailable, old ones are kept at 0 (what
 * {@code rollout history} lists), a rollback (what {@code rollout undo} writes: an old ReplicaSet's template) brings
 * the old ReplicaSet back under a new revision, and only revisionHistoryLimit old ones are kept.
 */
class DeploymentsRollThroughReplicaSetsTest {
    private static final Pattern SCALED = Pattern.compile("Scaled (up|down) replica set (\\S+) from (\\d+) to (\\d+)");

    @Test
    void eachTemplateGetsAReplicaSetAndARevisionAndARollbackReusesTheOldOne() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            deployments.resource(deployment("web", 2, List.of())).create();
            eventually(Duration.ofSeconds(10), "revision 1 rolled out", () -> complete(deployments.withName("web").get()));
            ReplicaSet first = onlyActive(client, "web");
            String hash = first.getMetadata().getLabels().get("pod-template-hash");
            assertThat(first.getMetadata().getName()).isEqualTo("web-" + hash);
            assertThat(first.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash)
                    .containsEntry("app", "web");
            assertThat(first.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
                    .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "3");
            assertThat(first.getStatus().getReplicas()).isEqualTo(2);
            assertThat(first.getStatus().getReadyReplicas()).isEqualTo(2);
            Deployment d = deployments.withName("web").get();
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
            assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
            assertThat(condition(d, "Progressing").getMessage())
                    .isEqualTo("ReplicaSet \"" + first.getMetadata().getName() + "\" has successfully progressed.");
            assertThat(podsOf(client, "default", "web")).allSatisfy(p -> assertThat(p.getMetadata().getName())
                    .startsWith(first.getMetadata().getName() + "-"));

            roll(client, "web", PatchType.JSON_MERGE,
                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.37\"}]}}}}", 2);
            ReplicaSet second = onlyActive(client, "web");
            assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
            assertThat(second.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            ReplicaSet oldOne = replicaSet(client, first.getMetadata().getName());
            assertThat(oldOne.getSpec().getReplicas()).as("the old ReplicaSet is kept, scaled to 0").isZero();
            assertThat(oldOne.getStatus().getReplicas()).isZero();
            assertThat(podsOf(client, "default", "web")).hasSize(2).allSatisfy(p -> assertThat(ownerName(p))
                    .isEqualTo(second.getMetadata().getName()));

            // kubectl rollout undo: revision 1's template (without its hash label) written back
            PodTemplateSpec undo = Serialization.clone(oldOne.getSpec().getTemplate());
            undo.getMetadata().getLabels().remove("pod-template-hash");
            roll(client, "web", PatchType.JSON, "[{\"op\":\"replace\",\"path\":\"/spec/template\","
                    + "\"value\":" + Serialization.asJson(undo) + "}]", 3);
            ReplicaSet back = onlyActive(client, "web");
            assertThat(back.getMetadata().getName()).as("the old ReplicaSet, not a new one")
                    .isEqualTo(first.getMetadata().getName());
            assertThat(back.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3")
                    .containsEntry("deployment.kubernetes.io/revision-history", "1");
            assertThat(client.apps().replicaSets().inNamespace("default").withLabel("app", "web").list().getItems())
                    .hasSize(2);
        }
    }

    @Test
    void aRollingUpdateStaysWithinMaxSurgeAndMaxUnavailable() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            Deployment d = deployment("api", 4, List.of());
            d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
                    .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().build());
            deployments.resource(d).create();
            eventually(Duration.ofSeconds(10), "4 ready", () -> complete(deployments.withName("api").get()));

            roll(client, "api", PatchType.JSON_MERGE,
                    "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"now\"}}}}}", 2);
            // 0→4 at creation, then one pod at a time: up 0→1, four steps down and three up, down 1→0
            eventually(Duration.ofSeconds(10), "9 ScalingReplicaSet events", () -> scalingEvents(client).size() == 9);

            // replay the controller's ScalingReplicaSet events in the order they were recorded
            List<Event> scaling = scalingEvents(client);
            Map<String, Integer> sizes = new HashMap<>();
            int most = 0;
            for (Event e : scaling) {
                Matcher m = SCALED.matcher(e.getMessage());
                assertThat(m.matches()).as(e.getMessage()).isTrue();
                assertThat(sizes.getOrDefault(m.group(2), 0)).as("from-size of " + e.getMessage())
                        .isEqualTo(Integer.parseInt(m.group(3)));
                sizes.put(m.group(2), Integer.parseInt(m.group(4)));
                most = Math.max(most, sizes.values().stream().mapToInt(Integer::intValue).sum());
                assertThat(e.getSource().getComponent()).isEqualTo("deployment-controller");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
            }
            assertThat(most).as("never more than replicas + maxSurge").isEqualTo(5);
            assertThat(sizes.values()).containsExactlyInAnyOrder(0, 4);
        }
    }

    @Test
    void onlyRevisionHistoryLimitOldReplicaSetsAreKept() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(POD_READY_MS));
             KubernetesClient client = client(sandbox)) {
            var deployments = client.apps().deployments().inNamespace("default");
            Deployment d = deployment("job", 1, List.of());
            d.getSpec().setRevisionHistoryLimit(1);
            deployments.resource(d).create();
            for (int i = 1; i <= 3; i++) {
                roll(client, "job", PatchType.JSON_MERGE,
                        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"round\":\"" + i + "\"}}}}}", i + 1);
            }
            eventually(Duration.ofSeconds(10), "the current and one old ReplicaSet left", () ->
                    client.apps().replicaSets().inNamespace("default").withLabel("app", "job").list().getItems().size() == 2);
            assertThat(client.apps().replicaSets().inNamespace("default").withLabel("app", "job").list().getItems())
                    .extracting(rs -> rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                    .containsExactlyInAnyOrder("3", "4");
        }
    }

    /** Patches the Deployment's template and waits until that revision is rolled out. */
    private static void roll(KubernetesClient client, String name, PatchType type, String patch, int revision) {
        var deployment = client.apps().deployments().inNamespace("default").withName(name);
        deployment.patch(PatchContext.of(type), patch);
        eventually(Duration.ofSeconds(20), "revision " + revision + " of " + name + " rolled out", () ->
                complete(deployment.get()) && String.valueOf(revision).equals(revision(deployment.get())));
    }

    /** The ScalingReplicaSet events in the order they were recorded (their names end in the time, in hex ns). */
    private static List<Event> scalingEvents(KubernetesClient client) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "ScalingReplicaSet".equals(e.getReason()))
                .sorted(Comparator.comparing(e -> Long.parseUnsignedLong(
                        e.getMetadata().getName().substring(e.getMetadata().getName().lastIndexOf('.') + 1), 16)))
                .toList();
    }

    /** Observed, every count at the desired one, and the rollout reported done. */
    static boolean complete(Deployment d) {
        int desired = d.getSpec().getReplicas();
        return RolloutRestartReplacesEveryPodTest.rolledOut(d, desired)
                && desired == RolloutRestartReplacesEveryPodTest.orZero(d.getStatus().getAvailableReplicas())
                && condition(d, "Progressing") != null
                && "NewReplicaSetAvailable".equals(condition(d, "Progressing").getReason());
    }

    static DeploymentCondition condition(Deployment d, String type) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
            return null;
        }
        return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String revision(Deployment d) {
        return d.getMetadata().getAnnotations() == null ? null
                : d.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
    }

    private static ReplicaSet onlyActive(KubernetesClient client, String app) {
        List<ReplicaSet> active = client.apps().replicaSets().inNamespace("default").withLabel("app", app).list()
                .getItems().stream().filter(rs -> rs.getSpec().getReplicas() > 0).toList();
        assertThat(active).as("active ReplicaSets of " + app).hasSize(1);
        return active.get(0);
    }

    private static ReplicaSet replicaSet(KubernetesClient client, String name) {
        return client.apps().replicaSets().inNamespace("default").withName(name).get();
    }

    private static String ownerName(Pod pod) {
        return pod.getMetadata().getOwnerReferences().get(0).getName();
    }
}
