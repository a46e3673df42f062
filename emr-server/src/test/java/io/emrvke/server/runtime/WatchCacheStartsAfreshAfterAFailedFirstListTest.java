package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.sandbox.Sandbox;
import io.emrvke.server.sandbox.SandboxConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A target that cannot be listed when the runtime first starts watching it (down, or too slow to answer the
 * first list in time, as a loaded real API server was) is watched for real once it answers: the informers of the
 * failed start, which fabric8 stops for good, are not kept as if they ran.
 */
class WatchCacheStartsAfreshAfterAFailedFirstListTest {
    @Test
    void aTargetDownAtTheFirstStartSeesItsWorkloadsOnceItAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (TargetRegistry registry = new TargetRegistry(Fixtures.renderer())) {
            KubernetesRuntime runtime = registry.registerUrl("late", "http://127.0.0.1:" + port);
            assertThatThrownBy(runtime::start).isInstanceOfSatisfying(RuntimeFailure.class,
                    f -> assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.API_UNAVAILABLE));

            try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(50).withPort(port))) {
                runtime.ensureNamespace("emr-ns-1", Map.of());
                ReleaseSpec spec = Fixtures.spec("spark-history-server", WorkloadKind.DEPLOYMENT, "shs-1",
                        NodePlacement.ANY_NODE, List.of());
                runtime.apply(spec);

                assertThat(runtime.awaitRunning(spec.ref(), Duration.ofSeconds(20)).state())
                        .isEqualTo(InstanceState.RUNNING);
            }
        }
    }
}
