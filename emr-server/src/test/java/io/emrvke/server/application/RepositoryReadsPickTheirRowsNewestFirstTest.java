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

/** The reads the repositories make through store.Rows: each picks its own cluster's rows, newest first, paged. */
class RepositoryReadsPickTheirRowsNewestFirstTest {
    private static final long NOW = 1_700_000_000_000L;

    /** A fresh store with two clusters: the one read, and another whose rows must not show. */
    private record TwoClusters(Jdbi jdbi, String mine, String other) {
        static TwoClusters in(StoreBackend backend) {
            Jdbi jdbi = backend.database().jdbi();
            return new TwoClusters(jdbi, cluster(jdbi), cluster(jdbi));
        }
    }

    private static String cluster(Jdbi jdbi) {
        String id = Ids.newClusterId();
        new ClusterRepository(jdbi).insert(new ClusterRow(id, 1, 1, "root", "c", "EMR-VKE-1.8.0", "default",
                "cn-beijing", null, "sandbox", List.of(), id, ClusterState.RUNNING, null, NOW, NOW, NOW, null));
        return id;
    }

    @StoreTest
    void instancesAreFoundByClusterApplicationAndComponentNewestFirst(StoreBackend backend) {
        TwoClusters c = TwoClusters.in(backend);
        Jdbi jdbi = c.jdbi();
        String mine = c.mine();
        String other = c.other();
        InstanceRepository instances = new InstanceRepository(jdbi);
        jdbi.useTransaction(h -> {
            instances.insert(h, InstanceRow.created(mine, "ray-a", "Ray", "RayCluster", "RayCluster", NOW));
            instances.insert(h, InstanceRow.created(mine, "ray-b", "Ray", "RayCluster", "RayCluster", NOW + 1));
            instances.insert(h, InstanceRow.created(mine, "kuberay", "Ray", "KubeRayOperator", "Deployment", NOW + 2));
            instances.insert(h, InstanceRow.created(other, "ray-a", "Ray", "RayCluster", "RayCluster", NOW + 3));
        });

        assertThat(instances.list(mine)).extracting(InstanceRow::releaseName)
                .containsExactly("kuberay", "ray-b", "ray-a");
        assertThat(instances.listByComponent(mine, "Ray", "RayCluster")).extracting(InstanceRow::releaseName)
                .containsExactly("ray-b", "ray-a");
        assertThat(instances.listByApplication(mine, "Spark")).isEmpty();
        assertThat(instances.find(other, "ray-a")).map(InstanceRow::createTime).hasValue(NOW + 3);
        assertThat(instances.find(other, "ray-b")).isEmpty();
        long staying = jdbi.withHandle(h -> instances.othersNotBeingDeleted(h, mine, "Ray", "RayCluster", "ray-a"));
        assertThat(staying).as("ray-b stays when ray-a goes").isEqualTo(1);
    }

    @StoreTest
    void applicationsArePagedNewestFirstWithTheirTotal(StoreBackend backend) {
        TwoClusters c = TwoClusters.in(backend);
        ApplicationRepository applications = new ApplicationRepository(c.jdbi());
        String mine = c.mine();
        String other = c.other();
        c.jdbi().useTransaction(h -> {
            applications.insert(h, ApplicationRow.installing(mine, "Spark", "3.5.1", NOW));
            applications.insert(h, ApplicationRow.installing(mine, "Ray", "2.39.0", NOW + 1));
            applications.insert(h, ApplicationRow.installing(mine, "Hive", "3.1.3", NOW + 2));
            applications.insert(h, ApplicationRow.installing(other, "Kyuubi", "1.9.0", NOW + 3));
        });

        Page<ApplicationRow> second = applications.page(mine, new Page.Request(2, 1));
        assertThat(second.items()).extracting(ApplicationRow::applicationName).containsExactly("Spark");
        assertThat(second.totalCount()).isEqualTo(3);
        assertThat(applications.page(mine, new Page.Request(2, 5)).items()).isEmpty();
        assertThat(applications.list(other)).extracting(ApplicationRow::applicationName).containsExactly("Kyuubi");
    }
}
