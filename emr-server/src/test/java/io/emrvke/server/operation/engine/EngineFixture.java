package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationDetail;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.StoreBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A store with one account and helpers to make clusters, plans and engines, and to wait for ends. */
final class EngineFixture implements AutoCloseable {
    static final long ACCOUNT = 2100000001L;
    static final long OTHER_ACCOUNT = 2100000002L;
    static final long USER = 77;
    static final Duration LEASE = Duration.ofMillis(1500);

    final TestStore store;
    final Database db;
    final OperationRepository operations;
    private final List<OperationEngine> engines = new ArrayList<>();

    EngineFixture(StoreBackend backend) {
        this.store = new TestStore(backend);
        this.db = store.open();
        this.operations = new OperationRepository(db.jdbi());
    }

    String newCluster() {
        return newCluster(ACCOUNT);
    }

    String newCluster(long account) {
        String id = Ids.newClusterId();
        long now = System.currentTimeMillis();
        new ClusterRepository(db.jdbi()).insert(new ClusterRow(id, account, USER, "tester", "c1", "EMR-VKE-1.8.0",
                "default", "cn-beijing", null, "sandbox", List.of(), "ns-" + id.substring(4, 12), ClusterState.RUNNING,
                null, now, now, now, null));
        return id;
    }

    /** A plan with one step per release name, each in its own batch unless {@code batchOf} says otherwise. */
    static OperationPlan.Builder plan(String clusterId, String action, String... releases) {
        OperationPlan.Builder b = OperationPlan.builder(ACCOUNT, USER, clusterId, OperationName.RUN_APPLICATION_ACTION)
                .operator("tester").content("{\"ClusterId\":\"" + clusterId + "\"}").params("{}");
        for (int i = 0; i < releases.length; i++) {
            b.step(new PlannedStep(i, "Ray", "RayCluster", releases[i], action));
        }
        return b;
    }

    OperationEngine engine(Consumer<OperationEngine.Builder> setup) {
        return engine(EngineConfig.withLease(LEASE).withTakeoverScanInterval(Duration.ofMillis(300)), setup);
    }

    OperationEngine engine(EngineConfig config, Consumer<OperationEngine.Builder> setup) {
        OperationEngine.Builder b = OperationEngine.builder(db).config(config);
        setup.accept(b);
        OperationEngine e = b.build();
        engines.add(e);
        return e;
    }

    OperationDetail get(String operationId) {
        return operations.get(ACCOUNT, operationId).orElseThrow();
    }

    OperationDetail awaitEnd(String operationId) {
        return await(operationId, d -> d.operation().state().isTerminal(), Duration.ofSeconds(30));
    }

    OperationDetail await(String operationId, Predicate<OperationDetail> condition, Duration timeout) {
        long until = System.currentTimeMillis() + timeout.toMillis();
        OperationDetail d = get(operationId);
        while (!condition.test(d) && System.currentTimeMillis() < until) {
            sleep(20);
            d = get(operationId);
        }
        assertThat(condition.test(d)).as("condition on %s within %s; last seen %s", operationId, timeout, d).isTrue();
        return d;
    }

    StepRow step(String operationId, int index) {
        return get(operationId).steps().get(index);
    }

    List<String> heldTargets(String clusterId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT target_key FROM operation_targets"
                + " WHERE cluster_id = :c ORDER BY target_key").bind("c", clusterId).mapTo(String.class).list());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        engines.forEach(OperationEngine::stop);
        store.close();
    }
}
