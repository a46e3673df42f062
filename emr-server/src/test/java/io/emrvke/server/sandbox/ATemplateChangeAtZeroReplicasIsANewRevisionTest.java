package io.emrvke.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Deployment scaled to 0 still rolls: a change of its pod template makes a new ReplicaSet (of 0 replicas)
 * and the next revision, as the controller-manager does, so {@code rollout history} counts it.
 */
class ATemplateChangeAtZeroReplicasIsANewRevisionTest {
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

    @Test
    void aTemplateChangeAtZeroReplicasMakesRevisionTwo() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(SandboxTestSupport.POD_READY_MS))) {
            SandboxHttp api = SandboxHttp.withItsToken(sandbox);
            assertThat(api.post(DEPLOYMENTS, "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":0,\"selector\":"
                    + "{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\"}]}}}}").code())
                    .isEqualTo(201);
            SandboxTestSupport.eventually(Duration.ofSeconds(10), "revision 1", () -> "1".equals(revision(api)));
            assertThat(api.patch(DEPLOYMENTS + "/web", "application/strategic-merge-patch+json", "{\"spec\":"
                    + "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"env\":[{\"name\":\"A\",\"value\":"
                    + "\"1\"}]}]}}}}").code()).isEqualTo(200);
            SandboxTestSupport.eventually(Duration.ofSeconds(10), "revision 2", () -> "2".equals(revision(api)));
            assertThat(api.get("/apis/apps/v1/namespaces/default/replicasets").json().path("items").size())
                    .isEqualTo(2);
        }
    }

    private static String revision(SandboxHttp api) {
        return api.get(DEPLOYMENTS + "/web").json().path("metadata").path("annotations")
                .path("deployment.kubernetes.io/revision").asText();
    }
}
