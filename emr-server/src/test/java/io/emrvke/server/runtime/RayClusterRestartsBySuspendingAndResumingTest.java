package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RayCluster adapter against a fake workload whose KubeRay settles at once: what it writes, in which order. */
class RayClusterRestartsBySuspendingAndResumingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String TOKEN = "2026-12-04T22:00:00.000Z";
    private final WorkloadAdapter adapter = WorkloadAdapters.of(WorkloadKind.RAY_CLUSTER);

    private static FakeLiveWorkload rayCluster() {
        GenericKubernetesResource rendered = Fixtures.renderer().render(Fixtures.rayCluster("ray-1", List.of(
                Fixtures.file("ray-cluster-values.yaml", ConfigFormat.HELM_VALUES, Map.of("worker.replicas", "2")))))
                .workload();
        return new FakeLiveWorkload(rendered, RayClusterRestartsBySuspendingAndResumingTest::settled);
    }

    /** What KubeRay reports once it caught up: no pods while suspended, head and workers ready otherwise. */
    private static InstanceStatus settled(GenericKubernetesResource ray) {
        long generation = ray.getMetadata().getGeneration();
        String token = ObjectFields.templateAnnotation(ray, Labels.RESTARTED_AT);
        return ObjectFields.suspended(ray)
                ? new InstanceStatus(InstanceState.STOPPED, 0, 0, WorkloadKind.RAY_CLUSTER, "ray-1", null, generation, generation, 0, true, token)
                : new InstanceStatus(InstanceState.RUNNING, 3, 3, WorkloadKind.RAY_CLUSTER, "ray-1", null, generation, generation, 3, true, token);
    }

    @Test
    void restartWritesTheTokenWithTheSuspendWaitsForNoPodsThenResumes() {
        FakeLiveWorkload ray = rayCluster();
        String checksum = ObjectFields.annotation(ray.object(), Labels.CONFIG_CHECKSUM);

        ActionResult result = adapter.restart(ray, TOKEN, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(ray.waitedFor).containsExactly("stop its pods", "be ready");
        assertThat(ray.patches).hasSize(2);
        assertThat(ray.patches.get(0).toString()).contains("/spec/suspend").contains(TOKEN);
        assertThat(ray.patches.get(1)).isEqualTo(Map.of("spec", Map.of("suspend", false)));
        assertThat(ObjectFields.suspended(ray.object())).isFalse();
        assertThat(ObjectFields.annotation(ray.object(), KubernetesRuntime.RESTART_TOKEN)).isEqualTo(TOKEN);
        assertThat(PodTemplates.of(ray.object())).hasSize(2).allSatisfy(template -> assertThat(PodTemplates.annotations(template))
                .containsEntry(Labels.RESTARTED_AT, TOKEN).containsEntry(Labels.CONFIG_CHECKSUM, checksum));
    }

    @Test
    void aRestartRunAgainAfterItFinishedIsAlreadyDoneAndWritesNothing() {
        FakeLiveWorkload ray = rayCluster();
        adapter.restart(ray, TOKEN, TIMEOUT);
        ray.patches.clear();

        ActionResult again = adapter.restart(ray, TOKEN, TIMEOUT);

        assertThat(again.outcome()).isEqualTo(ActionResult.Outcome.ALREADY_DONE);
        assertThat(again.note()).isEqualTo("already restarted with token " + TOKEN);
        assertThat(ray.patches).isEmpty();
    }

    @Test
    void aRestartRunAgainWhileSuspendedByItResumesWithoutSuspendingAgain() {
        FakeLiveWorkload ray = rayCluster();
        // the step crashed after writing the token with the suspend
        ray.mergePatch(Map.of("metadata", Map.of("annotations", Map.of(KubernetesRuntime.RESTART_TOKEN, TOKEN)),
                "spec", Map.of("suspend", true)));
        ray.patches.clear();

        ActionResult result = adapter.restart(ray, TOKEN, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(ray.patches).containsExactly(Map.of("spec", Map.of("suspend", false)));
        assertThat(ObjectFields.suspended(ray.object())).isFalse();
    }

    @Test
    void aStoppedRayClusterRecordsTheTokenAndStaysStopped() {
        FakeLiveWorkload ray = rayCluster();
        adapter.stop(ray, TIMEOUT);

        ActionResult result = adapter.restart(ray, TOKEN, TIMEOUT);

        assertThat(result.note()).isEqualTo("stopped; restart token recorded");
        assertThat(ObjectFields.suspended(ray.object())).isTrue();
        assertThat(ObjectFields.annotation(ray.object(), KubernetesRuntime.RESTART_TOKEN)).isEqualTo(TOKEN);
    }

    @Test
    void stopSuspendsStartResumesAndEachIsAlreadyDoneTheSecondTime() {
        FakeLiveWorkload ray = rayCluster();

        assertThat(adapter.stop(ray, TIMEOUT).outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(ObjectFields.suspended(ray.object())).isTrue();
        assertThat(adapter.stop(ray, TIMEOUT).note()).isEqualTo("already stopped");
        assertThat(adapter.start(ray, TIMEOUT).outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(ObjectFields.suspended(ray.object())).isFalse();
        assertThat(adapter.start(ray, TIMEOUT).note()).isEqualTo("already running");
        assertThat(ray.patches).containsExactly(Map.of("spec", Map.of("suspend", true)), Map.of("spec", Map.of("suspend", false)));
    }

    @Test
    void aNewRevisionAppliedOverASuspendedRayClusterKeepsItSuspended() {
        FakeLiveWorkload live = rayCluster();
        adapter.stop(live, TIMEOUT);
        GenericKubernetesResource update = rayCluster().object();

        adapter.keepStopped(live.object(), update);

        assertThat(ObjectFields.suspended(update)).isTrue();
    }
}
