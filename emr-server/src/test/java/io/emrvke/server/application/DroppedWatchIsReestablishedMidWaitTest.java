package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.PodTemplates;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import io.emrvke.server.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server goes away while the runtime waits for a rollout: its informers reconnect and the wait completes. */
class DroppedWatchIsReestablishedMidWaitTest {
    @TempDir
    Path dataDir;

    @Test
    void restartWaitSurvivesTheApiServerRestartingUnderIt() throws Exception {
        try (SandboxTarget target = SandboxTarget.start(SandboxConfig.persistent(dataDir, 0, 300))) {
            target.namespace("emr-e2e-watch");
            ReleaseSpec spec = target.deploy(SandboxTarget.spec("emr-e2e-watch", "shs-w1", "Spark",
                    "SparkHistoryServer", Map.of()));
            Set<String> before = target.podUids(spec.ref());
            String token = RestartTokens.now();

            CompletableFuture<ActionResult> restart = CompletableFuture.supplyAsync(
                    () -> target.runtime.restart(spec.ref(), token, SandboxTarget.TIMEOUT));
            SandboxTarget.eventually("the restart patched the pod template", () -> token.equals(PodTemplates
                    .annotations(PodTemplates.of(target.get(ObjectKind.DEPLOYMENT, "emr-e2e-watch", "shs-w1")).get(0))
                    .get("kubectl.kubernetes.io/restartedAt")));
            assertThat(restart).isNotDone();
            target.restartSandbox();

            ActionResult result = restart.get();

            assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.APPLIED);
            assertThat(result.status().state()).isEqualTo(InstanceState.RUNNING);
            assertThat(target.pods(spec.ref())).hasSize(1).allMatch(SandboxTarget::ready)
                    .noneMatch(p -> before.contains(p.getMetadata().getUid()));
            // the re-established watches keep following changes after the wait
            assertThat(target.runtime.stop(spec.ref(), SandboxTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.STOPPED);
            assertThat(target.runtime.start(spec.ref(), SandboxTarget.TIMEOUT).status().state()).isEqualTo(InstanceState.RUNNING);
        }
    }
}
