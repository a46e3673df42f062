package io.emrvke.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestartStopStartDeploymentsTest {
    private static final String NS = "emr-ns-1";
    private static final InstanceRef REF = new InstanceRef(NS, "shs-1");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final MockCluster cluster = new MockCluster(false);
    private final KubernetesRuntime runtime = cluster.runtime("test");

    @BeforeEach
    void deployAndRollOut() {
        runtime.apply(Fixtures.deployment("shs-1", List.of()));
        cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
        cluster.pod(NS, "shs-1", "shs-1-a", null, null);
        cluster.pod(NS, "shs-1", "shs-1-b", null, null);
        runtime.awaitRunning(REF, TIMEOUT);
    }

    @AfterEach
    void close() {
        runtime.close();
        cluster.close();
    }

    private GenericKubernetesResource deployment() {
        return cluster.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
    }

    private static String templateAnnotation(GenericKubernetesResource w, String key) {
        return PodTemplates.annotations(PodTemplates.of(w).get(0)).get(key);
    }

    @Test
    void restartPatchesRestartedAtAndWaitsForTheRollout() {
        long generation = deployment().getMetadata().getGeneration();
        String token = RestartTokens.now();

        CompletableFuture<ActionResult> restart = CompletableFuture.supplyAsync(() -> runtime.restart(REF, token, TIMEOUT));
        Eventually.until("restartedAt patched", () -> token.equals(templateAnnotation(deployment(), Labels.RESTARTED_AT)));
        assertThat(restart).isNotDone();
        cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
        ActionResult result = restart.join();

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.token()).isEqualTo(token);
        assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(result.status().restartToken()).isEqualTo(token);
        assertThat(deployment().getMetadata().getGeneration()).isGreaterThan(generation);
    }

    @Test
    void restartWithATokenTheWorkloadAlreadyCarriesIsANoOp() {
        String token = RestartTokens.now();
        CompletableFuture<ActionResult> first = CompletableFuture.supplyAsync(() -> runtime.restart(REF, token, TIMEOUT));
        Eventually.until("restartedAt patched", () -> token.equals(templateAnnotation(deployment(), Labels.RESTARTED_AT)));
        cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
        first.join();
        String resourceVersion = deployment().getMetadata().getResourceVersion();

        ActionResult again = runtime.restart(REF, token, TIMEOUT);

        assertThat(again.outcome()).isEqualTo(ActionResult.Outcome.ALREADY_DONE);
        assertThat(deployment().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
    }

    @Test
    void restartRollsPodsToTheLatestAppliedConfig() {
        runtime.apply(Fixtures.deployment("shs-1", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "4041")))));
        String newChecksum = deployment().getMetadata().getAnnotations().get(Labels.CONFIG_CHECKSUM);
        assertThat(templateAnnotation(deployment(), Labels.CONFIG_CHECKSUM)).isNotEqualTo(newChecksum);

        CompletableFuture<ActionResult> restart = CompletableFuture.supplyAsync(() -> runtime.restart(REF, RestartTokens.now(), TIMEOUT));
        Eventually.until("checksum patched", () -> newChecksum.equals(templateAnnotation(deployment(), Labels.CONFIG_CHECKSUM)));
        cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");

        assertThat(restart.join().outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
    }

    @Test
    void stopRecordsTheSizeScalesToZeroAndWaitsForNoPods() {
        CompletableFuture<ActionResult> stop = CompletableFuture.supplyAsync(() -> runtime.stop(REF, TIMEOUT));
        Eventually.until("scaled to 0", () -> ((Number) PodTemplates.spec(deployment()).get("replicas")).intValue() == 0);
        assertThat(deployment().getMetadata().getAnnotations()).containsEntry(Labels.REPLICAS_BEFORE_STOP, "2");
        assertThat(runtime.status(REF).state()).isIn(InstanceState.STOPPING, InstanceState.RUNNING);
        cluster.deletePods(NS, "shs-1");
        ActionResult result = stop.join();

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(runtime.stop(REF, TIMEOUT).note()).isEqualTo("already stopped");
    }

    @Test
    void startRestoresTheRecordedSizeAndWaitsUntilReady() {
        CompletableFuture<ActionResult> stop = CompletableFuture.supplyAsync(() -> runtime.stop(REF, TIMEOUT));
        Eventually.until("scaled to 0", () -> ((Number) PodTemplates.spec(deployment()).get("replicas")).intValue() == 0);
        cluster.deletePods(NS, "shs-1");
        stop.join();

        CompletableFuture<ActionResult> start = CompletableFuture.supplyAsync(() -> runtime.start(REF, TIMEOUT));
        Eventually.until("scaled back", () -> ((Number) PodTemplates.spec(deployment()).get("replicas")).intValue() == 2);
        assertThat(deployment().getMetadata().getAnnotations()).doesNotContainKey(Labels.REPLICAS_BEFORE_STOP);
        cluster.pod(NS, "shs-1", "shs-1-c", null, null);
        cluster.pod(NS, "shs-1", "shs-1-d", null, null);
        cluster.markRolledOut(ObjectKind.of(WorkloadKind.DEPLOYMENT), NS, "shs-1");
        ActionResult result = start.join();

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(result.status().readyReplicas()).isEqualTo(2);
    }

    @Test
    void statusChangesSeenByTheWatchesReachListeners() {
        java.util.List<InstanceState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.onStatusChange((ref, status) -> {
            if (ref.equals(REF)) {
                seen.add(status.state());
            }
        });

        CompletableFuture<ActionResult> stop = CompletableFuture.supplyAsync(() -> runtime.stop(REF, TIMEOUT));
        Eventually.until("stopping seen", () -> seen.contains(InstanceState.STOPPING));
        cluster.deletePods(NS, "shs-1");
        stop.join();

        assertThat(seen).containsSubsequence(InstanceState.STOPPING, InstanceState.STOPPED);
        assertThat(runtime.statuses()).containsKey(REF);
    }

    @Test
    void startOfARunningInstanceSaysAlreadyRunning() {
        ActionResult result = runtime.start(REF, TIMEOUT);

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.ALREADY_DONE);
        assertThat(result.note()).isEqualTo("already running");
    }

    @Test
    void reapplyingAStoppedInstanceKeepsItStopped() {
        CompletableFuture<ActionResult> stop = CompletableFuture.supplyAsync(() -> runtime.stop(REF, TIMEOUT));
        Eventually.until("scaled to 0", () -> ((Number) PodTemplates.spec(deployment()).get("replicas")).intValue() == 0);
        cluster.deletePods(NS, "shs-1");
        stop.join();

        runtime.apply(Fixtures.spec("spark-history-server", WorkloadKind.DEPLOYMENT, "shs-1", List.of(
                Fixtures.file("spark-defaults.conf", ConfigFormat.PROPERTIES, Map.of("spark.ui.port", "1")))));

        assertThat(((Number) PodTemplates.spec(deployment()).get("replicas")).intValue()).isZero();
        assertThat(deployment().getMetadata().getAnnotations()).containsEntry(Labels.REPLICAS_BEFORE_STOP, "2");
    }
}
