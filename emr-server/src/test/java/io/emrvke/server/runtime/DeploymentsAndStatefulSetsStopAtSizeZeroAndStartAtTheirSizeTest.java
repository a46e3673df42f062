package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Deployment and StatefulSet adapters against a fake workload whose controller settles at once. */
class DeploymentsAndStatefulSetsStopAtSizeZeroAndStartAtTheirSizeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String TOKEN = "2026-12-04T22:00:00.000Z";

    private static FakeLiveWorkload workload(WorkloadKind kind) {
        ReleaseSpec spec = kind == WorkloadKind.DEPLOYMENT ? Fixtures.deployment("w-1", List.of())
                : Fixtures.statefulSet("w-1", List.of());
        GenericKubernetesResource rendered = Fixtures.renderer().render(spec).workload();
        return new FakeLiveWorkload(rendered, object -> settled(kind, object));
    }

    /** What the controller reports once it caught up with the spec. */
    private static InstanceStatus settled(WorkloadKind kind, GenericKubernetesResource object) {
        int replicas = ObjectFields.replicas(object);
        long generation = object.getMetadata().getGeneration();
        return new InstanceStatus(replicas == 0 ? InstanceState.STOPPED : InstanceState.RUNNING, replicas, replicas,
                kind, "w-1", null, generation, generation, replicas, true,
                ObjectFields.templateAnnotation(object, Labels.RESTARTED_AT));
    }

    private static WorkloadAdapter adapter(WorkloadKind kind) {
        return WorkloadAdapters.of(kind);
    }

    @ParameterizedTest
    @EnumSource(value = WorkloadKind.class, names = {"DEPLOYMENT", "STATEFUL_SET"})
    void stopRemembersTheSizeAndStartRestoresIt(WorkloadKind kind) {
        FakeLiveWorkload w = workload(kind);

        assertThat(adapter(kind).stop(w, TIMEOUT).status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(ObjectFields.replicas(w.object())).isZero();
        assertThat(ObjectFields.annotation(w.object(), Labels.REPLICAS_BEFORE_STOP)).isEqualTo("2");
        assertThat(adapter(kind).stop(w, TIMEOUT).note()).isEqualTo("already stopped");

        assertThat(adapter(kind).start(w, TIMEOUT).status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(ObjectFields.replicas(w.object())).isEqualTo(2);
        assertThat(ObjectFields.annotation(w.object(), Labels.REPLICAS_BEFORE_STOP)).isNull();
        assertThat(adapter(kind).start(w, TIMEOUT).note()).isEqualTo("already running");
    }

    @ParameterizedTest
    @EnumSource(value = WorkloadKind.class, names = {"DEPLOYMENT", "STATEFUL_SET"})
    void aWorkloadScaledToZeroByHandStartsWithOnePod(WorkloadKind kind) {
        FakeLiveWorkload w = workload(kind);
        w.mergePatch(Map.of("spec", Map.of("replicas", 0)));

        adapter(kind).start(w, TIMEOUT);

        assertThat(ObjectFields.replicas(w.object())).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = WorkloadKind.class, names = {"DEPLOYMENT", "STATEFUL_SET"})
    void restartStampsTheTemplateWithTheTokenAndTheConfigChecksumOnce(WorkloadKind kind) {
        FakeLiveWorkload w = workload(kind);
        String checksum = ObjectFields.annotation(w.object(), Labels.CONFIG_CHECKSUM);

        ActionResult result = adapter(kind).restart(w, TOKEN, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().restartToken()).isEqualTo(TOKEN);
        assertThat(PodTemplates.annotations(PodTemplates.of(w.object()).get(0)))
                .containsEntry(Labels.RESTARTED_AT, TOKEN).containsEntry(Labels.CONFIG_CHECKSUM, checksum);
        assertThat(w.waitedFor).containsExactly("finish restarting");
        assertThat(adapter(kind).restart(w, TOKEN, TIMEOUT).outcome()).isEqualTo(ActionResult.Outcome.ALREADY_DONE);
        assertThat(w.patches).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = WorkloadKind.class, names = {"DEPLOYMENT", "STATEFUL_SET"})
    void aNewRevisionAppliedOverAStoppedWorkloadStaysStoppedAndStartsAtTheNewSize(WorkloadKind kind) {
        FakeLiveWorkload live = workload(kind);
        adapter(kind).stop(live, TIMEOUT);
        GenericKubernetesResource update = workload(kind).object();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) update.getAdditionalProperties().get("spec");
        spec.put("replicas", 5);

        adapter(kind).keepStopped(live.object(), update);

        assertThat(ObjectFields.replicas(update)).isZero();
        assertThat(ObjectFields.annotation(update, Labels.REPLICAS_BEFORE_STOP)).isEqualTo("5");
    }
}
