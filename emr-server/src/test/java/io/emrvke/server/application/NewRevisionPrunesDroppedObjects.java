package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.runtime.ApplyResult;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new revision deletes what it no longer renders: one body for both targets. */
abstract class NewRevisionPrunesDroppedObjects extends RunsOnEitherTarget {
    NewRevisionPrunesDroppedObjects() {
        super("emr-e2e-prune");
    }

    @Test
    void aRevisionWithoutSecretItemsDeletesTheSecretAndKeepsTheRest() {
        ReleaseSpec withSecret = target.deploy(RuntimeTarget.spec(ns, "kyuubi-p1", "Kyuubi", "KyuubiServer",
                Map.of("__envs__", Map.of("KYUUBI_ADMIN_PASSWORD", "pw-1"))));
        assertThat(target.client.secrets().inNamespace(ns).withName("kyuubi-p1-secret").get()).isNotNull();
        String deploymentUid = target.client.apps().deployments().inNamespace(ns).withName("kyuubi-p1").get()
                .getMetadata().getUid();

        ApplyResult result = target.runtime.apply(RuntimeTarget.spec(ns, "kyuubi-p1", "Kyuubi", "KyuubiServer", Map.of()));

        assertThat(result.deleted()).containsExactly("Secret/kyuubi-p1-secret");
        assertThat(target.client.secrets().inNamespace(ns).withName("kyuubi-p1-secret").get()).isNull();
        assertThat(target.client.configMaps().inNamespace(ns).withName("kyuubi-p1-config").get()).isNotNull();
        assertThat(target.client.services().inNamespace(ns).withName("kyuubi-p1").get()).isNotNull();
        assertThat(target.client.apps().deployments().inNamespace(ns).withName("kyuubi-p1").get().getMetadata().getUid())
                .isEqualTo(deploymentUid);
        assertThat(target.runtime.awaitRunning(withSecret.ref(), RuntimeTarget.TIMEOUT).readyReplicas()).isEqualTo(1);
    }
}
