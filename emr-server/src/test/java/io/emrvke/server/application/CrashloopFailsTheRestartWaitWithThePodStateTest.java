package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import io.emrvke.server.runtime.RuntimeFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrashloopFailsTheRestartWaitWithThePodStateTest {
    private static final String NS = "emr-e2e-crash";
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(3);
    private static SandboxTarget target;

    @BeforeAll
    static void start() {
        target = SandboxTarget.start();
        target.namespace(NS);
    }

    @AfterAll
    static void close() {
        target.close();
    }

    @Test
    void restartOfACrashloopingRevisionFailsWithinItsTimeoutNamingCrashLoopBackOff() {
        ReleaseSpec spec = target.deploy(SandboxTarget.spec(NS, "shs-f1", "Spark", "SparkHistoryServer", Map.of()));
        target.runtime.apply(SandboxTarget.spec(NS, "shs-f1", "Spark", "SparkHistoryServer",
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
    void aStatefulSetThatCrashloopsFromTheStartNeverReportsRunning() {
        ReleaseSpec spec = SandboxTarget.spec(NS, "zk-f1", "ZooKeeper", "ZookeeperServer",
                Map.of("__envs__", Map.of("SANDBOX_FAULT", "crashloop")));
        target.runtime.apply(spec);

        RuntimeFailure failure = catchThrowableOfType(RuntimeFailure.class,
                () -> target.runtime.awaitRunning(spec.ref(), RESTART_TIMEOUT));

        assertThat(failure.reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT);
        assertThat(failure.getMessage()).contains("zk-f1").contains("CrashLoopBackOff");
    }
}
