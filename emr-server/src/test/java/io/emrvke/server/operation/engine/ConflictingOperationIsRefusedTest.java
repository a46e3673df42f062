package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class ConflictingOperationIsRefusedTest {

    @StoreTest
    void ofTwentyConcurrentSubmitsOnOneClusterExactlyOneIsAccepted(StoreBackend backend) throws Exception {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationSubmitter submitter = new OperationSubmitter(f.db, new Idempotency(Idempotency.DEFAULT_RETENTION), () -> { });
            List<String> accepted = new CopyOnWriteArrayList<>();
            List<ConflictingOperationException> refused = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        accepted.add(submitter.submit(EngineFixture.plan(cluster, "restart", "r-1").build()).operationId());
                    } catch (ConflictingOperationException e) {
                        refused.add(e);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> fu : futures) {
                fu.get();
            }
            pool.shutdown();

            assertThat(accepted).hasSize(1);
            assertThat(refused).hasSize(19).allSatisfy(e -> assertThat(e.getMessage()).contains(accepted.get(0)));
            assertThat(f.heldTargets(cluster)).containsExactly("*");
        }
    }

    @StoreTest
    void instancesConflictWithOverlappingInstancesAndWithTheWholeClusterOnly(StoreBackend backend) {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            String otherCluster = f.newCluster();
            OperationEngine engine = f.engine(b -> { });
            OperationSubmitter submitter = new OperationSubmitter(f.db, engine.idempotency(), () -> { });
            String ab = submit(submitter, cluster, Targets.instances(Set.of("a", "b")));

            assertRefusedNaming(() -> submit(submitter, cluster, Targets.wholeCluster()), ab);
            assertRefusedNaming(() -> submit(submitter, cluster, Targets.instances(Set.of("b", "c"))), ab);
            String c = submit(submitter, cluster, Targets.instances(Set.of("c")));
            String d = submit(submitter, cluster, Targets.instances(Set.of("d")));
            assertThat(List.of(ab, c, d)).doesNotHaveDuplicates();
            assertThat(submit(submitter, otherCluster, Targets.wholeCluster())).as("another cluster is free").isNotNull();
            assertThat(f.heldTargets(cluster)).containsExactly("a", "b", "c", "d");

            // Once every holder has ended, the whole cluster is free again.
            for (String op : List.of(ab, c, d)) {
                engine.cancel(EngineFixture.ACCOUNT, op);
            }
            String whole = submit(submitter, cluster, Targets.wholeCluster());
            assertRefusedNaming(() -> submit(submitter, cluster, Targets.instances(Set.of("z"))), whole);
        }
    }

    private static String submit(OperationSubmitter submitter, String cluster, Targets targets) {
        return submitter.submit(EngineFixture.plan(cluster, "restart", "x").targets(targets).build()).operationId();
    }

    private static void assertRefusedNaming(Runnable submit, String holder) {
        assertThatThrownBy(submit::run).isInstanceOfSatisfying(ConflictingOperationException.class,
                e -> assertThat(e.getMessage()).contains(holder));
    }
}
