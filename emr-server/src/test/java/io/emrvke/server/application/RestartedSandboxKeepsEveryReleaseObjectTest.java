package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartedSandboxKeepsEveryReleaseObjectTest {
    private static final String NS = "emr-e2e-persist";
    @TempDir
    Path dataDir;

    /** kind/name → uid of every object the runtime manages in the namespace, pods included. */
    private static Map<String, String> objects(SandboxTarget target) {
        Map<String, String> all = new TreeMap<>();
        for (ObjectKind kind : ObjectKind.all()) {
            target.client.genericKubernetesResources(kind.context()).inNamespace(NS)
                    .withLabel("app.kubernetes.io/managed-by", "emr-vke").list().getItems()
                    .forEach(o -> all.put(kind.kind() + "/" + o.getMetadata().getName(), o.getMetadata().getUid()));
        }
        target.client.pods().inNamespace(NS).list().getItems()
                .forEach(p -> all.put("Pod/" + p.getMetadata().getName(), p.getMetadata().getUid()));
        return all;
    }

    @Test
    void everyObjectSurvivesAndThePodsReturnToReady() {
        try (SandboxTarget target = SandboxTarget.start(SandboxConfig.persistent(dataDir, 0, SandboxTarget.POD_READY_MS))) {
            target.namespace(NS);
            List<ReleaseSpec> specs = List.of(
                    SandboxTarget.spec(NS, "hms-p1", "Hive", "HiveMetastore",
                            Map.of("__envs__", Map.of("METASTORE_DB_PASSWORD", "pw"))),
                    SandboxTarget.spec(NS, "celeborn-master-p1", "Celeborn", "CelebornMaster", Map.of()),
                    SandboxTarget.spec(NS, "ray-p1", "Ray", "RayCluster", Map.of()));
            specs.forEach(target::deploy);
            Map<String, String> before = objects(target);
            assertThat(before).containsKeys("Deployment/hms-p1", "Secret/hms-p1-secret", "ConfigMap/hms-p1-config",
                    "Service/hms-p1", "StatefulSet/celeborn-master-p1", "RayCluster/ray-p1");
            assertThat(before.keySet().stream().filter(k -> k.startsWith("Pod/"))).hasSize(1 + 3 + 3);

            target.restartSandbox();

            assertThat(objects(target)).isEqualTo(before);
            for (ReleaseSpec spec : specs) {
                SandboxTarget.eventually(spec.releaseName() + " ready again", () ->
                        target.pods(spec.ref()).stream().allMatch(SandboxTarget::ready)
                                && target.runtime.status(spec.ref()).state() == InstanceState.RUNNING);
            }
            assertThat(objects(target)).as("the same pods came back, none replaced").isEqualTo(before);
        }
    }
}
