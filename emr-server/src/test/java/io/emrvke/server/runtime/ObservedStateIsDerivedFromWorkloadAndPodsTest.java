package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedStateIsDerivedFromWorkloadAndPodsTest {
    private static Deployment deployment(int replicas, long generation, Long observed, Integer ready, Integer updated) {
        return new DeploymentBuilder().withNewMetadata().withName("shs-1").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata().endMetadata().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(observed).withReadyReplicas(ready).withUpdatedReplicas(updated)
                .withReplicas(ready).endStatus().build();
    }

    private static Pod pod(String name, boolean ready, String waiting, String scheduledReason) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPhase("Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (waiting != null) {
            b.editStatus().addNewContainerStatus().withName("c").withNewState().withNewWaiting().withReason(waiting)
                    .endWaiting().endState().endContainerStatus().endStatus();
        }
        if (scheduledReason != null) {
            b.editStatus().addNewCondition().withType("PodScheduled").withStatus("False").withReason(scheduledReason)
                    .endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void aRolledOutDeploymentWithAllPodsReadyIsRunning() {
        InstanceStatus s = StatusDeriver.ofDeployment(deployment(2, 3, 3L, 2, 2),
                List.of(pod("a", true, null, null), pod("b", true, null, null)));

        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(s.replicas()).isEqualTo(2);
        assertThat(s.readyReplicas()).isEqualTo(2);
        assertThat(s.rolloutComplete()).isTrue();
        assertThat(s.message()).isNull();
    }

    @Test
    void aSpecTheControllerHasNotObservedIsStarting() {
        InstanceStatus s = StatusDeriver.ofDeployment(deployment(2, 4, 3L, 2, 2), List.of());

        assertThat(s.state()).isEqualTo(InstanceState.STARTING);
        assertThat(s.message()).contains("observe generation 4");
    }

    @Test
    void podsInCrashLoopMakeItFailedAndSayWhy() {
        InstanceStatus s = StatusDeriver.ofDeployment(deployment(3, 1, 1L, 1, 3),
                List.of(pod("a", true, null, null), pod("b", false, "CrashLoopBackOff", null), pod("c", false, "CrashLoopBackOff", null)));

        assertThat(s.state()).isEqualTo(InstanceState.FAILED);
        assertThat(s.message()).isEqualTo("2 of 3 pods of shs-1 not ready: CrashLoopBackOff");
    }

    @Test
    void unschedulablePodsKeepItStartingWithTheReason() {
        InstanceStatus s = StatusDeriver.ofDeployment(deployment(1, 1, 1L, 0, 1),
                List.of(pod("a", false, null, "Unschedulable")));

        assertThat(s.state()).isEqualTo(InstanceState.STARTING);
        assertThat(s.message()).isEqualTo("1 of 1 pods of shs-1 not ready: Unschedulable");
    }

    @Test
    void missingPodsAreReportedAsNotCreated() {
        InstanceStatus s = StatusDeriver.ofDeployment(deployment(3, 1, 1L, 1, 1), List.of(pod("a", true, null, null)));

        assertThat(s.message()).isEqualTo("2 of 3 pods of shs-1 not ready: 2 not created");
    }

    @Test
    void zeroReplicasIsStoppingWhilePodsRemainThenStopped() {
        StatefulSet sts = new StatefulSetBuilder().withNewMetadata().withName("cw-1").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(0).withNewTemplate().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(2L).endStatus().build();

        assertThat(StatusDeriver.ofStatefulSet(sts, List.of(pod("cw-1-0", true, null, null))).state())
                .isEqualTo(InstanceState.STOPPING);
        InstanceStatus stopped = StatusDeriver.ofStatefulSet(sts, List.of());
        assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(stopped.workloadKind()).isEqualTo(WorkloadKind.STATEFUL_SET);
    }
}
