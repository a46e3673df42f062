package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A target whose first list of Deployments fails (an API server still starting, or too busy to answer within the
 * sync timeout) stops that informer for good; the next start must list again instead of keeping it, or every
 * Deployment applied later is never seen and its deploy waits until it times out.
 */
class AFailedFirstListIsListedAgainOnTheNextStartTest {
    private static final String NS = "emr-ns-1";

    @Test
    void aDeploymentAppliedAfterAFailedStartAndASuccessfulOneIsSeenRunning() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        try (MockCluster cluster = new MockCluster(false, request -> "GET".equals(request.getMethod())
                && request.getPath().startsWith("/apis/apps/v1/deployments?") && !request.getPath().contains("watch=")
                && failuresLeft.getAndDecrement() > 0);
             KubernetesRuntime runtime = cluster.unstartedRuntime("test")) {
            assertThatThrownBy(runtime::start).isInstanceOf(RuntimeFailure.class)
                    .hasMessageContaining("cannot list and watch the target's workloads");

            runtime.start();
            runtime.apply(Fixtures.deployment("shs-1", List.of()));
            cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
            cluster.pod(NS, "shs-1", "shs-1-a", null, null);
            cluster.pod(NS, "shs-1", "shs-1-b", null, null);

            assertThat(runtime.awaitRunning(new InstanceRef(NS, "shs-1"), Duration.ofSeconds(20)).state())
                    .isEqualTo(InstanceState.RUNNING);
        }
    }
}
