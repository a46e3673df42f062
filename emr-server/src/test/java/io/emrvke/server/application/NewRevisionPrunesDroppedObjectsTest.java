package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.runtime.ApplyResult;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NewRevisionPrunesDroppedObjectsTest {
    private static final String NS = "emr-e2e-prune";
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
    void aRevisionWithoutSecretItemsDeletesTheSecretAndKeepsTheRest() {
        ReleaseSpec withSecret = target.deploy(SandboxTarget.spec(NS, "kyuubi-p1", "Kyuubi", "KyuubiServer",
                Map.of("__envs__", Map.of("KYUUBI_ADMIN_PASSWORD", "pw-1"))));
        assertThat(target.client.secrets().inNamespace(NS).withName("kyuubi-p1-secret").get()).isNotNull();
        String deploymentUid = target.client.apps().deployments().inNamespace(NS).withName("kyuubi-p1").get()
                .getMetadata().getUid();

        ApplyResult result = target.runtime.apply(SandboxTarget.spec(NS, "kyuubi-p1", "Kyuubi", "KyuubiServer", Map.of()));

        assertThat(result.deleted()).containsExactly("Secret/kyuubi-p1-secret");
        assertThat(target.client.secrets().inNamespace(NS).withName("kyuubi-p1-secret").get()).isNull();
        assertThat(target.client.configMaps().inNamespace(NS).withName("kyuubi-p1-config").get()).isNotNull();
        assertThat(target.client.services().inNamespace(NS).withName("kyuubi-p1").get()).isNotNull();
        assertThat(target.client.apps().deployments().inNamespace(NS).withName("kyuubi-p1").get().getMetadata().getUid())
                .isEqualTo(deploymentUid);
        assertThat(target.runtime.awaitRunning(withSecret.ref(), SandboxTarget.TIMEOUT).readyReplicas()).isEqualTo(1);
    }
}
