package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.InstanceStatus;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import io.emrvke.server.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A crashlooping container fails the wait with the pod's state: one body for both targets. The container env
 * SANDBOX_FAULT=crashloop crashes it on the sandbox's kubelet and on KWOK's (e2e/realk8s/stages/sandbox-faults.yaml).
 */
abstract class CrashloopFailsTheRestartWaitWithThePodState extends RunsOnEitherTarget {
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(3);

    CrashloopFailsTheRestartWaitWithThePodState() {
        super("emr-e2e-crash");
    }

    @Test
    void restartOfACrashloopingRevisionFailsWithinItsTimeoutNamingCrashLoopBackOff() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "shs-f1", "Spark", "SparkHistoryServer", Map.of()));
        target.runtime.apply(RuntimeTarget.spec(ns, "shs-f1", "Spark", "SparkHistoryServer",
                Map.of("__envs__", Map.of("SANDBOX_FAULT", "crashloop"))));

        long started = System.nanoTime();
        RuntimeFailure failure = catchThrowableOfType(RuntimeFailure.class,
                () -> target.runtime.restart(spec.ref(), RestartTokens.now(), RESTART_TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).isNotNull();
        assertThat(failure.reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("shs-f1").contains("CrashLoopBackOff");
        assertThat(took).as("the wait ends at its timeout, not the test's").isLessThan(RESTART_TIMEOUT.plusSeconds(4));
        assertThat(target.runtime.status(spec.ref()).state()).isEqualTo(InstanceState.FAILED);
    }

    @Test
    void aStatefulSetThatCrashloopsFromTheStartNeverReportsRunning() throws Exception {
        ReleaseSpec spec = RuntimeTarget.spec(ns, "zk-f1", "ZooKeeper", "ZookeeperServer",
                Map.of("__envs__", Map.of("SANDBOX_FAULT", "crashloop")));
        target.runtime.apply(spec);
        // the first pod must exist and crash before a short wait can say so (a loaded machine is slow to get there)
        target.runtime.await(spec.ref(), "report the crashloop", s -> s.state() == InstanceState.FAILED,
                RuntimeTarget.TIMEOUT).get();

        RuntimeFailure failure = catchThrowableOfType(RuntimeFailure.class,
                () -> target.runtime.awaitRunning(spec.ref(), RESTART_TIMEOUT));

        assertThat(failure.reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("zk-f1").contains("CrashLoopBackOff");
    }

    @Test
    void aRayClusterWhosePodsCrashloopIsFailedNamingEachGroup() throws Exception {
        ReleaseSpec spec = RuntimeTarget.spec(ns, "ray-f1", "Ray", "RayCluster",
                Map.of("__envs__", Map.of("SANDBOX_FAULT", "crashloop")));
        target.runtime.apply(spec);

        // FAILED from the first crashing pod on; the workers' crashloops are reported as they start
        InstanceStatus failed = target.runtime.await(spec.ref(), "report every group's crashloop",
                s -> s.state() == InstanceState.FAILED && s.message().contains("2 of 2 pods of ray-f1-worker not ready:"
                        + " CrashLoopBackOff"), RuntimeTarget.TIMEOUT).get();

        assertThat(failed.message()).contains("1 of 1 pods of ray-f1-head not ready: CrashLoopBackOff");
        RuntimeFailure failure = catchThrowableOfType(RuntimeFailure.class,
                () -> target.runtime.awaitRunning(spec.ref(), RESTART_TIMEOUT));
        assertThat(failure.reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("ray-f1").contains("CrashLoopBackOff");
    }
}
