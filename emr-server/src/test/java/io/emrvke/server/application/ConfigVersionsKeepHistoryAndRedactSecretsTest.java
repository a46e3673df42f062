package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

class ConfigVersionsKeepHistoryAndRedactSecretsTest {

    @StoreTest
    void versionsOverrideItemsRecordChangesAndNeverShowSecrets(StoreBackend backend) {
        Jdbi jdbi = backend.database().jdbi();
        ApplicationRepository apps = new ApplicationRepository(jdbi);
        InstanceRepository instances = new InstanceRepository(jdbi);
        ConfigRepository configs = new ConfigRepository(jdbi);
        String clusterId = Ids.newClusterId();
        long now = 1_700_000_000_000L;
        new ClusterRepository(jdbi).insert(new ClusterRow(clusterId, 1, 1, "root", "c", "EMR-VKE-1.8.0", "default",
                "cn-beijing", null, "sandbox", List.of(), clusterId, ClusterState.INIT, null, now, null, now, null));

        jdbi.useTransaction(h -> {
            apps.insert(h, ApplicationRow.installing(clusterId, "Hive", "3.1.3", now));
            instances.insert(h, InstanceRow.created(clusterId, "hive-metastore-ab12", "Hive", "HiveMetastore",
                    "Deployment", now));
            configs.writeFirstVersion(h, clusterId, "Hive", "hive-metastore-ab12",
                    List.of(new ConfigItem("hive-site.xml", "hive.metastore.port", "9083")),
                    List.of(new ConfigItem("hive-site.xml", "hive.metastore.port", "9084"),
                            new ConfigItem("hive-site.xml", "javax.jdo.option.ConnectionPassword", "s3cr3t")),
                    "op-1", now);
        });
        assertThat(configs.current(clusterId, "hive-metastore-ab12")).extracting(ConfigItemRow::key,
                ConfigItemRow::value, ConfigItemRow::configVersion).containsExactly(
                org.assertj.core.groups.Tuple.tuple("hive.metastore.port", "9084", 1),
                org.assertj.core.groups.Tuple.tuple("javax.jdo.option.ConnectionPassword", "s3cr3t", 1));

        int v2 = jdbi.inTransaction(h -> configs.writeNextVersion(h, clusterId, "Hive", "hive-metastore-ab12",
                List.of(new ConfigItem("hive-site.xml", "javax.jdo.option.ConnectionPassword", "n3w"),
                        new ConfigItem("hive-site.xml", "hive.metastore.port", "9084")), "op-2", now + 1));

        assertThat(v2).isEqualTo(2);
        assertThat(instances.find(clusterId, "hive-metastore-ab12").orElseThrow().configVersion()).isEqualTo(2);
        List<ConfigItemRow> current = configs.current(clusterId, "hive-metastore-ab12");
        assertThat(current).extracting(ConfigItemRow::value).containsExactly("9084", "n3w");
        assertThat(ConfigRepository.redacted(current)).extracting(ConfigItemRow::value).containsExactly("9084", "******");
        assertThat(current.toString()).doesNotContain("n3w");

        Page<ConfigHistoryRow> history = configs.history(clusterId, "Hive", null, null, new Page.Request(10, 0));
        assertThat(history.items()).extracting(ConfigHistoryRow::configVersion, ConfigHistoryRow::key,
                ConfigHistoryRow::oldValue, ConfigHistoryRow::newValue, ConfigHistoryRow::operationId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "javax.jdo.option.ConnectionPassword", "******", "******", "op-2"),
                org.assertj.core.groups.Tuple.tuple(1, "javax.jdo.option.ConnectionPassword", null, "******", "op-1"),
                org.assertj.core.groups.Tuple.tuple(1, "hive.metastore.port", "9083", "9084", "op-1"));

        jdbi.useTransaction(h -> {
            configs.deleteItems(h, clusterId, "hive-metastore-ab12");
            instances.deleteByApplication(h, clusterId, "Hive");
            apps.delete(h, clusterId, "Hive");
        });
        assertThat(apps.list(clusterId)).isEmpty();
        assertThat(configs.current(clusterId, "hive-metastore-ab12")).isEmpty();
        assertThat(configs.history(clusterId, "Hive", "hive-metastore-ab12", "hive-site.xml",
                new Page.Request(10, 0)).totalCount()).isEqualTo(3);
    }
}
