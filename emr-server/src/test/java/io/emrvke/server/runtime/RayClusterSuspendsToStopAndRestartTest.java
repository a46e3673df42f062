package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RayClusterSuspendsToStopAndRestartTest {
    private static final String NS = "emr-ns-1";
    private static final InstanceRef REF = new InstanceRef(NS, "ray-4f2a");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private MockCluster cluster;
    private KubernetesRuntime runtime;

    @AfterEach
    void close() {
        runtime.close();
        cluster.close();
    }

    private void deployRunning() {
        cluster = new MockCluster(true);
        runtime = cluster.runtime("test");
        runtime.apply(Fixtures.rayCluster("ray-4f2a", List.of(Fixtures.file("ray-cluster-values.yaml",
                ConfigFormat.HELM_VALUES, Map.of("worker.replicas", "2")))));
        podsUp();
        assertThat(runtime.awaitRunning(REF, TIMEOUT).replicas()).isEqualTo(3);
    }

    private void podsUp() {
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-head-x", "head", null);
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-worker-1", "worker", null);
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-worker-2", "worker", null);
    }

    private GenericKubernetesResource ray() {
        return cluster.get(ObjectKind.of(WorkloadKind.RAY_CLUSTER), NS, "ray-4f2a");
    }

    private boolean suspended() {
        return Boolean.TRUE.equals(PodTemplates.spec(ray()).get("suspend"));
    }

    @Test
    void stopSuspendsAndStartResumes() {
        deployRunning();

        CompletableFuture<ActionResult> stop = CompletableFuture.supplyAsync(() -> runtime.stop(REF, TIMEOUT));
        Eventually.until("suspended", this::suspended);
        cluster.deletePods(NS, "ray-4f2a");
        assertThat(stop.join().status().state()).isEqualTo(InstanceState.STOPPED);

        CompletableFuture<ActionResult> start = CompletableFuture.supplyAsync(() -> runtime.start(REF, TIMEOUT));
        Eventually.until("resumed", () -> !suspended());
        podsUp();
        ActionResult started = start.join();
        assertThat(started.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(started.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(runtime.start(REF, TIMEOUT).note()).isEqualTo("already running");
    }

    @Test
    void restartSuspendsWaitsForNoPodsThenResumesAndRecordsTheToken() {
        deployRunning();
        String token = RestartTokens.now();

        CompletableFuture<ActionResult> restart = CompletableFuture.supplyAsync(() -> runtime.restart(REF, token, TIMEOUT));
        Eventually.until("suspended", this::suspended);
        assertThat(ray().getMetadata().getAnnotations()).containsEntry(KubernetesRuntime.RESTART_TOKEN, token);
        for (Map<String, Object> template : PodTemplates.of(ray())) {
            assertThat(PodTemplates.annotations(template)).containsEntry(Labels.RESTARTED_AT, token);
        }
        cluster.deletePods(NS, "ray-4f2a");
        Eventually.until("resumed", () -> !suspended());
        podsUp();
        ActionResult result = restart.join();

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(runtime.restart(REF, token, TIMEOUT).outcome()).isEqualTo(ActionResult.Outcome.ALREADY_DONE);
    }

    @Test
    void aWaitThatTimesOutNamesTheFailingPodsAndTheirReason() {
        cluster = new MockCluster(true);
        runtime = cluster.runtime("test");
        runtime.apply(Fixtures.rayCluster("ray-4f2a", List.of(Fixtures.file("ray-cluster-values.yaml",
                ConfigFormat.HELM_VALUES, Map.of("worker.replicas", "3")))));
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-head-x", "head", null);
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-worker-1", "worker", null);
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-worker-2", "worker", "CrashLoopBackOff");
        cluster.pod(NS, "ray-4f2a", "ray-4f2a-worker-3", "worker", "CrashLoopBackOff");

        assertThatThrownBy(() -> runtime.awaitRunning(REF, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.reason()).isEqualTo(RuntimeFailure.Reason.TIMEOUT))
                .hasMessageContaining("2 of 3 pods of ray-4f2a-worker not ready: CrashLoopBackOff");
        assertThat(runtime.status(REF).state()).isEqualTo(InstanceState.FAILED);
    }
}
