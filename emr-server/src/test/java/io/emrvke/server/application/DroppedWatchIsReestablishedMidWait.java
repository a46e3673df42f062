package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.PodTemplates;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away while the runtime waits for a rollout: its informers reconnect and the wait completes.
 * One body for both targets: the sandbox restarts; the real control plane's connections are cut by a proxy
 * while its controllers go on. The pods take 1.5 s to become ready (SANDBOX_FAULT=slow:1500, honoured by both
 * kubelets), so the rollout is still under way when the API server goes.
 */
abstract class DroppedWatchIsReestablishedMidWait extends RunsOnEitherTarget {
    DroppedWatchIsReestablishedMidWait() {
        super("emr-e2e-watch");
    }

    @Test
    void restartWaitSurvivesTheApiServerGoingAwayUnderIt() throws Exception {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "shs-w1", "Spark", "SparkHistoryServer",
                Map.of("__envs__", Map.of("SANDBOX_FAULT", "slow:1500"))));
        Set<String> before = target.podUids(spec.ref());
        String token = RestartTokens.now();

        CompletableFuture<ActionResult> restart = CompletableFuture.supplyAsync(
                () -> target.runtime.restart(spec.ref(), token, RuntimeTarget.TIMEOUT));
        RuntimeTarget.eventually("the restart patched the pod template", () -> token.equals(PodTemplates
                .annotations(PodTemplates.of(target.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), ns, "shs-w1")).get(0))
                .get("kubectl.kubernetes.io/restartedAt")));
        assertThat(restart).isNotDone();
        target.interruptTheApiServer();

        ActionResult result = restart.get();

        assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
        assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(target.pods(spec.ref())).hasSize(1).allMatch(RuntimeTarget::ready)
                .noneMatch(p -> before.contains(p.getMetadata().getUid()));
        // the re-established watches keep following changes after the wait
        assertThat(target.runtime.stop(spec.ref(), RuntimeTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.STOPPED);
        assertThat(target.runtime.start(spec.ref(), RuntimeTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.RUNNING);
    }
}
