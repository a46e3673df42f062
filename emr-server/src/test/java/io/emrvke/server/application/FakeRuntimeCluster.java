package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.runtime.FakeClusterRuntime;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A RUNNING EMR-VKE-1.8.0 cluster in a fresh in-memory store whose Kubernetes target is a
 * {@link FakeClusterRuntime}: what step executors need, with no server and no Kubernetes.
 */
final class FakeRuntimeCluster implements AutoCloseable {
    static final String TARGET = "vke-fake";
    static final Catalog CATALOG = Catalog.loadBundled();
    static final ApplicationSpec RAY = CATALOG.release("EMR-VKE-1.8.0").orElseThrow().application("Ray").orElseThrow();
    static final ComponentSpec RAY_CLUSTER = RAY.component("RayCluster").orElseThrow();

    final StoreBackend backend = StoreBackends.fresh(StoreBackends.Kind.H2);
    final Jdbi jdbi = backend.database().jdbi();
    final FakeClusterRuntime runtime = new FakeClusterRuntime(TARGET);
    // a registry of a ready-made runtime renders no chart: the fake takes the release spec as it is
    final TargetRegistry targets = new TargetRegistry(null);
    final ClusterRow cluster;

    FakeRuntimeCluster() {
        targets.register(TARGET, runtime);
        String id = Ids.newClusterId();
        long now = System.currentTimeMillis();
        cluster = new ClusterRow(id, 1, 1, "root", "fake-" + id, "EMR-VKE-1.8.0", "default", "cn-beijing", null,
                TARGET, List.of("pool-a"), "emr-" + id, ClusterState.RUNNING, null, now, now, now, null);
        new ClusterRepository(jdbi).insert(cluster);
    }

    /** A RayCluster instance row at config version 1 (the catalog's defaults), as a create leaves it. */
    InstanceRef rayCluster(String releaseName) {
        jdbi.useTransaction(h -> {
            new InstanceRepository(jdbi).insert(h, InstanceRow.created(cluster.clusterId(), releaseName, "Ray",
                    "RayCluster", "RayCluster", System.currentTimeMillis()));
            new ConfigRepository(jdbi).writeFirstVersion(h, cluster.clusterId(), "Ray", releaseName,
                    ConfigItem.defaultsOf(RAY, RAY_CLUSTER), List.of(), "op-create", System.currentTimeMillis());
        });
        return new InstanceRef(cluster.namespace(), releaseName);
    }

    InstanceRow row(String releaseName) {
        return new InstanceRepository(jdbi).find(cluster.clusterId(), releaseName).orElseThrow();
    }

    StepTargets stepTargets() {
        return new StepTargets(jdbi, CATALOG, targets, "emr.node-pool");
    }

    @Override
    public void close() {
        targets.close();
        backend.close();
    }
}
