package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stop, start, suspend and resume through the runtime: one body for the sandbox and the real control plane. */
abstract class StopStartAndSuspendResume extends RunsOnEitherTarget {
    StopStartAndSuspendResume() {
        super("emr-e2e-stop");
    }

    @Test
    void stopLeavesZeroPodsAndRemembersTheSizeWhichStartRestores() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "celeborn-worker-s1", "Celeborn", "CelebornWorker", Map.of()));
        assertThat(target.pods(spec.ref())).hasSize(3);

        ActionResult stopped = target.runtime.stop(spec.ref(), RuntimeTarget.TIMEOUT);

        assertThat(stopped.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(stopped.status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(target.pods(spec.ref())).isEmpty();
        var sts = target.get(ObjectKind.of(WorkloadKind.STATEFUL_SET), ns, spec.releaseName());
        assertThat((Object) RuntimeFixtures.<Map<String, Object>>at(sts, "spec").get("replicas")).isEqualTo(0);
        assertThat(sts.getMetadata().getAnnotations()).containsEntry("emr-vke.io/replicas-before-stop", "3");
        assertThat(target.runtime.stop(spec.ref(), RuntimeTarget.TIMEOUT).outcome())
                .isEqualTo(ActionResult.Outcome.ALREADY_DONE);

        ActionResult started = target.runtime.start(spec.ref(), RuntimeTarget.TIMEOUT);

        assertThat(started.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(started.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(started.status().readyReplicas()).isEqualTo(3);
        assertThat(target.pods(spec.ref())).hasSize(3).allMatch(RuntimeTarget::ready);
        assertThat(target.runtime.start(spec.ref(), RuntimeTarget.TIMEOUT).outcome())
                .isEqualTo(ActionResult.Outcome.ALREADY_DONE);
    }

    @Test
    void aDeploymentStoppedAndStartedComesBackAtItsSize() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "shs-s1", "Spark", "SparkHistoryServer", Map.of()));

        assertThat(target.runtime.stop(spec.ref(), RuntimeTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(target.pods(spec.ref())).isEmpty();
        assertThat(target.runtime.start(spec.ref(), RuntimeTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(target.pods(spec.ref())).hasSize(1).allMatch(RuntimeTarget::ready);
    }

    @Test
    void rayClusterStopSuspendsAndStartResumesWithItsWorkers() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "ray-s1", "Ray", "RayCluster",
                Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", "3"))));
        assertThat(target.pods(spec.ref())).hasSize(4);

        ActionResult stopped = target.runtime.stop(spec.ref(), RuntimeTarget.TIMEOUT);

        assertThat(stopped.status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(target.pods(spec.ref())).isEmpty();
        assertThat((Object) RuntimeFixtures.<Map<String, Object>>at(target.get(ObjectKind.of(WorkloadKind.RAY_CLUSTER), ns, "ray-s1"), "spec").get("suspend")).isEqualTo(true);

        ActionResult started = target.runtime.start(spec.ref(), RuntimeTarget.TIMEOUT);

        assertThat(started.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat((Object) RuntimeFixtures.<Map<String, Object>>at(target.get(ObjectKind.of(WorkloadKind.RAY_CLUSTER), ns, "ray-s1"), "spec").get("suspend")).isEqualTo(false);
        assertThat(target.pods(spec.ref())).hasSize(4).allMatch(RuntimeTarget::ready);
    }

    @Test
    void rayClusterRestartSuspendsAndResumesWithFreshPods() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "ray-r1", "Ray", "RayCluster", Map.of()));
        Set<String> before = target.podUids(spec.ref());

        ActionResult restarted = target.runtime.restart(spec.ref(), RestartTokens.now(), RuntimeTarget.TIMEOUT);

        assertThat(restarted.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(target.pods(spec.ref())).hasSize(3).allMatch(RuntimeTarget::ready)
                .noneMatch(p -> before.contains(p.getMetadata().getUid()));
    }
}
