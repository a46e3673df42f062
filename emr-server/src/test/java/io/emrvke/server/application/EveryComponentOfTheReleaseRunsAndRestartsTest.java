package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.InstanceStatus;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every component of every application of EMR-VKE-1.8.0, deployed through the runtime onto the sandbox. */
class EveryComponentOfTheReleaseRunsAndRestartsTest {
    private static final String NS = "emr-e2e-all";
    private static SandboxTarget target;
    private static final List<ReleaseSpec> specs = new ArrayList<>();

    @BeforeAll
    static void deployEveryComponent() {
        target = SandboxTarget.start();
        target.namespace(NS);
        for (ApplicationSpec app : RuntimeFixtures.release().applications()) {
            for (ComponentSpec component : app.components()) {
                ReleaseSpec spec = SandboxTarget.spec(NS, component.defaultInstanceName("e2e"), app.name(),
                        component.name(), Map.of());
                target.runtime.apply(spec);
                specs.add(spec);
            }
        }
    }

    @AfterAll
    static void close() {
        target.close();
    }

    private static int expectedPods(ReleaseSpec spec) {
        return spec.kind() == WorkloadKind.RAY_CLUSTER ? spec.replicas() + 1 : spec.replicas();
    }

    @Test
    void everyComponentReachesRunningWithAllItsPodsReady() {
        assertThat(specs).extracting(ReleaseSpec::component).containsExactly("SparkOperator", "SparkHistoryServer",
                "KubeRayOperator", "RayCluster", "CelebornMaster", "CelebornWorker", "HiveMetastore",
                "ZookeeperServer", "KyuubiServer");
        for (ReleaseSpec spec : specs) {
            InstanceStatus status = target.runtime.awaitRunning(spec.ref(), SandboxTarget.TIMEOUT);

            assertThat(status.state()).as(spec.component()).isEqualTo(InstanceState.RUNNING);
            assertThat(status.readyReplicas()).as(spec.component()).isEqualTo(expectedPods(spec));
            assertThat(target.pods(spec.ref())).as(spec.component()).hasSize(expectedPods(spec))
                    .allMatch(SandboxTarget::ready);
        }
    }

    @Test
    void restartReplacesEveryPodOfEveryComponentAndEndsWithAllReady() {
        Map<ReleaseSpec, Set<String>> before = new HashMap<>();
        for (ReleaseSpec spec : specs) {
            target.runtime.awaitRunning(spec.ref(), SandboxTarget.TIMEOUT);
            before.put(spec, target.podUids(spec.ref()));
        }
        String token = RestartTokens.now();
        ExecutorService threads = Executors.newFixedThreadPool(specs.size());
        List<CompletableFuture<ActionResult>> restarts = specs.stream().map(spec -> CompletableFuture.supplyAsync(
                () -> target.runtime.restart(spec.ref(), token, SandboxTarget.TIMEOUT), threads)).toList();
        threads.shutdown();

        for (int i = 0; i < specs.size(); i++) {
            ReleaseSpec spec = specs.get(i);
            ActionResult result = restarts.get(i).join();
            assertThat(result.outcome()).as(spec.component()).isEqualTo(ActionResult.Outcome.APPLIED);
            assertThat(result.status().state()).as(spec.component()).isEqualTo(InstanceState.RUNNING);
            var pods = target.pods(spec.ref());
            assertThat(pods).as(spec.component()).hasSize(expectedPods(spec)).allMatch(SandboxTarget::ready);
            assertThat(pods).as(spec.component() + ": no pod survives a restart")
                    .noneMatch(p -> before.get(spec).contains(p.getMetadata().getUid()));
        }
    }
}
