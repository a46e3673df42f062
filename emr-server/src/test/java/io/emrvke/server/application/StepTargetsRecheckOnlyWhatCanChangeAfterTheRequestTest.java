package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.engine.StepContext;
import io.emrvke.server.runtime.ChartRenderer;
import io.emrvke.server.runtime.ChartRepository;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StepTargets#instance} resolves a step's instance from the store, the target registry and the catalog,
 * with no server: it fails the step, naming what is gone, for each thing that can change between the request
 * and the step (cluster row, registered target, instance row, release/application/component in the catalog).
 * The target is registered on an address nothing answers: resolving never calls Kubernetes.
 */
class StepTargetsRecheckOnlyWhatCanChangeAfterTheRequestTest {
    private static final String TARGET = "vke-a";

    private static ChartRenderer renderer;
    private StoreBackend backend;
    private Jdbi jdbi;
    private TargetRegistry targets;
    private StepTargets stepTargets;

    @BeforeAll
    static void extractCharts() throws Exception {
        renderer = new ChartRenderer(ChartRepository.extract(Files.createTempDirectory("emr-step-targets-")),
                "registry.example.com/emr");
    }

    @AfterAll
    static void closeRenderer() {
        renderer.close();
    }

    @BeforeEach
    void start() {
        backend = StoreBackends.fresh(StoreBackends.Kind.H2);
        jdbi = backend.database().jdbi();
        targets = new TargetRegistry(renderer);
        targets.registerUrl(TARGET, "http://127.0.0.1:9");
        stepTargets = new StepTargets(jdbi, Catalog.loadBundled(), targets, "emr.node-pool");
    }

    @AfterEach
    void stop() {
        targets.close();
        backend.close();
    }

    @Test
    void aStoredInstanceResolvesToItsClusterRuntimeCatalogSpecsAndNodePools() {
        ClusterRow cluster = cluster(TARGET, "EMR-VKE-1.8.0");
        instance(cluster, "ray-a", "RayCluster");

        StepTargets.Instance t = stepTargets.instance(step(cluster.clusterId()), "ray-a");

        assertThat(t.cluster().clusterId()).isEqualTo(cluster.clusterId());
        assertThat(t.runtime().targetName()).isEqualTo(TARGET);
        assertThat(t.app().name()).isEqualTo("Ray");
        assertThat(t.component().name()).isEqualTo("RayCluster");
        assertThat(t.ref()).isEqualTo(new InstanceRef(cluster.namespace(), "ray-a"));
        assertThat(t.placement().label()).isEqualTo("emr.node-pool");
        assertThat(t.placement().pools()).containsExactly("pool-a");
    }

    @Test
    void aClusterRowThatIsGoneFailsTheStepNamingTheCluster() {
        String gone = Ids.newClusterId();

        assertThatThrownBy(() -> stepTargets.instance(step(gone), "ray-a"))
                .hasMessage("cluster " + gone + " no longer exists");
    }

    @Test
    void aTargetNoLongerRegisteredFailsTheStepNamingTheTarget() {
        ClusterRow cluster = cluster("vke-b", "EMR-VKE-1.8.0");
        instance(cluster, "ray-a", "RayCluster");

        assertThatThrownBy(() -> stepTargets.instance(step(cluster.clusterId()), "ray-a"))
                .hasMessage("Kubernetes target 'vke-b' is not registered on this server");
    }

    @Test
    void anInstanceDeletedMeanwhileFailsTheStepNamingIt() {
        ClusterRow cluster = cluster(TARGET, "EMR-VKE-1.8.0");

        assertThatThrownBy(() -> stepTargets.instance(step(cluster.clusterId()), "ray-a"))
                .hasMessage("instance ray-a no longer exists in cluster " + cluster.clusterId());
    }

    @Test
    void aReleaseOrComponentNoLongerInTheCatalogFailsTheStepNamingIt() {
        ClusterRow oldRelease = cluster(TARGET, "EMR-VKE-0.9.0");
        instance(oldRelease, "ray-a", "RayCluster");
        ClusterRow current = cluster(TARGET, "EMR-VKE-1.8.0");
        instance(current, "ray-b", "RayHead");

        assertThatThrownBy(() -> stepTargets.instance(step(oldRelease.clusterId()), "ray-a"))
                .hasMessage("release EMR-VKE-0.9.0 is no longer in the catalog");
        assertThatThrownBy(() -> stepTargets.instance(step(current.clusterId()), "ray-b"))
                .hasMessage("component RayHead is no longer in the catalog of Ray");
    }

    private ClusterRow cluster(String target, String releaseVersion) {
        String id = Ids.newClusterId();
        long now = System.currentTimeMillis();
        ClusterRow row = new ClusterRow(id, 1, 1, "root", "c-" + id, releaseVersion, "default", "cn-beijing", null,
                target, List.of("pool-a"), "emr-" + id, ClusterState.RUNNING, null, now, now, now, null);
        new ClusterRepository(jdbi).insert(row);
        return row;
    }

    private void instance(ClusterRow cluster, String releaseName, String component) {
        jdbi.useTransaction(h -> new InstanceRepository(jdbi).insert(h, InstanceRow.created(cluster.clusterId(),
                releaseName, "Ray", component, "RayCluster", System.currentTimeMillis())));
    }

    /** A restart step of an operation on {@code clusterId}, as the engine hands it to an executor. */
    private static StepContext step(String clusterId) {
        OperationRow op = OperationRow.accepted("op-1", 1, 1, "root", clusterId, OperationName.RUN_APPLICATION_ACTION,
                "{}", null, "{}", System.currentTimeMillis());
        StepRow step = StepRow.planned("op-1", 0, 0, "Ray", "RayCluster", "ray-a", "restart");
        return new StepContext() {
            @Override
            public StepRow step() {
                return step;
            }

            @Override
            public OperationRow operation() {
                return op;
            }

            @Override
            public Optional<String> secretValue(String name) {
                return Optional.empty();
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }

            @Override
            public long deadline() {
                return System.currentTimeMillis() + 60_000;
            }

            @Override
            public Optional<String> recordedToken() {
                return Optional.empty();
            }

            @Override
            public void recordToken(String token) {
                throw new UnsupportedOperationException("resolving a target records nothing");
            }
        };
    }
}
