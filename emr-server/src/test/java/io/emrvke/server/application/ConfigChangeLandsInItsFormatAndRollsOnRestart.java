package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ActionResult;
import io.emrvke.server.runtime.ApplyResult;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.ObjectKind;
import io.emrvke.server.runtime.PodTemplates;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RestartTokens;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Config files land in their own format, and a restart rolls pods onto them: one body for both targets. */
abstract class ConfigChangeLandsInItsFormatAndRollsOnRestart extends RunsOnEitherTarget {
    private static final String CHECKSUM = "emr-vke.io/config-checksum";

    ConfigChangeLandsInItsFormatAndRollsOnRestart() {
        super("emr-e2e-config");
    }

    private String configFile(String release, String file) {
        return target.client.configMaps().inNamespace(ns).withName(release + "-config").get().getData().get(file);
    }

    private static String templateChecksum(GenericKubernetesResource workload) {
        return PodTemplates.annotations(PodTemplates.of(workload).get(0)).get(CHECKSUM);
    }

    private static List<EnvVar> env(Pod pod) {
        return pod.getSpec().getContainers().get(0).getEnv();
    }

    @Test
    void propertiesFilesLandAsKeyValueLines() {
        target.deploy(RuntimeTarget.spec(ns, "shs-c1", "Spark", "SparkHistoryServer", Map.of()));
        target.deploy(RuntimeTarget.spec(ns, "zk-c1", "ZooKeeper", "ZookeeperServer", Map.of()));

        target.runtime.apply(RuntimeTarget.spec(ns, "shs-c1", "Spark", "SparkHistoryServer",
                Map.of("spark-defaults.conf", Map.of("spark.ui.port", "4041"))));
        target.runtime.apply(RuntimeTarget.spec(ns, "zk-c1", "ZooKeeper", "ZookeeperServer",
                Map.of("zoo.cfg", Map.of("tickTime", "3000"))));

        assertThat(configFile("shs-c1", "spark-defaults.conf")).contains("spark.ui.port 4041\n")
                .contains("spark.eventLog.enabled true\n");
        assertThat(configFile("zk-c1", "zoo.cfg")).contains("tickTime=3000\n").contains("clientPort=2181\n")
                .doesNotContain("tickTime=2000");
    }

    @Test
    void xmlFilesLandAsHadoopConfiguration() {
        target.deploy(RuntimeTarget.spec(ns, "hms-c1", "Hive", "HiveMetastore",
                Map.of("hive-site.xml", Map.of("hive.metastore.port", "9084"))));

        assertThat(configFile("hms-c1", "hive-site.xml")).startsWith("<?xml").contains("<configuration>")
                .contains("<name>hive.metastore.port</name>\n    <value>9084</value>")
                .contains("<name>hive.metastore.warehouse.dir</name>");
    }

    @Test
    void applyOfAConfigFileChangeKeepsThePodsAndRestartRollsThemOntoTheNewChecksum() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "shs-c2", "Spark", "SparkHistoryServer", Map.of()));
        Set<String> podsBefore = target.podUids(spec.ref());
        String oldChecksum = templateChecksum(target.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), ns, "shs-c2"));

        ApplyResult applied = target.runtime.apply(RuntimeTarget.spec(ns, "shs-c2", "Spark", "SparkHistoryServer",
                Map.of("spark-defaults.conf", Map.of("spark.ui.port", "4042"))));

        assertThat(applied.configChecksum()).isNotEqualTo(oldChecksum);
        var deployment = target.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), ns, "shs-c2");
        assertThat(deployment.getMetadata().getAnnotations()).containsEntry(CHECKSUM, applied.configChecksum());
        assertThat(templateChecksum(deployment)).as("apply does not roll pods by itself").isEqualTo(oldChecksum);
        assertThat(configFile("shs-c2", "spark-defaults.conf")).contains("spark.ui.port 4042\n");
        assertThat(target.runtime.awaitRunning(spec.ref(), RuntimeTarget.TIMEOUT).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(target.podUids(spec.ref())).isEqualTo(podsBefore);

        ActionResult restarted = target.runtime.restart(spec.ref(), RestartTokens.now(), RuntimeTarget.TIMEOUT);

        assertThat(restarted.status().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(templateChecksum(target.get(ObjectKind.of(WorkloadKind.DEPLOYMENT), ns, "shs-c2"))).isEqualTo(applied.configChecksum());
        List<Pod> pods = target.pods(spec.ref());
        assertThat(pods).hasSize(1).allMatch(RuntimeTarget::ready).noneMatch(p -> podsBefore.contains(p.getMetadata().getUid()));
        assertThat(pods.get(0).getMetadata().getAnnotations()).containsEntry(CHECKSUM, applied.configChecksum());
    }

    @Test
    void envItemsBecomeContainerEnvironmentOfTheRestartedPods() {
        ReleaseSpec spec = target.deploy(RuntimeTarget.spec(ns, "shs-c3", "Spark", "SparkHistoryServer", Map.of()));

        ApplyResult applied = target.runtime.apply(RuntimeTarget.spec(ns, "shs-c3", "Spark", "SparkHistoryServer",
                Map.of("__envs__", Map.of("SPARK_DAEMON_MEMORY", "2g", "EXTRA_FLAG", "on"))));
        target.runtime.restart(spec.ref(), RestartTokens.now(), RuntimeTarget.TIMEOUT);

        List<Pod> pods = target.pods(spec.ref());
        assertThat(pods).hasSize(1).allMatch(RuntimeTarget::ready);
        assertThat(pods.get(0).getMetadata().getAnnotations()).containsEntry(CHECKSUM, applied.configChecksum());
        assertThat(env(pods.get(0))).anyMatch(e -> e.getName().equals("SPARK_DAEMON_MEMORY") && e.getValue().equals("2g"))
                .anyMatch(e -> e.getName().equals("EXTRA_FLAG") && e.getValue().equals("on"))
                .anyMatch(e -> e.getName().equals("event_log_dir") && e.getValue().equals("file:///tmp/spark-events"))
                .noneMatch(e -> e.getValue() != null && e.getValue().equals("1g"));
    }
}
