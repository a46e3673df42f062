package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.api.client.EmrApiException;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

class ConcurrentDeletesAcceptExactlyOneTest {
    private static final int RACERS = 20;

    @StoreTest
    void twentyDeletesOrDeploysAtOnceAcceptExactlyOne(StoreBackend backend) throws Exception {
        try (LifecyclePlane lp = LifecyclePlane.start(backend)) {
            String deployTarget = lp.runningCluster("deploy-race", "[]");
            List<String> deployAnswers = race(racer -> lp.call("DeployApplications", "{\"ClusterId\":\""
                    + deployTarget + "\",\"Applications\":" + LifecyclePlane.apps("ZooKeeper")
                    + ",\"ClientToken\":\"" + racer + "\"}").path("OperationId").asText());
            assertOneAccepted(deployAnswers, "OperationDenied.ConflictingOperation", "OperationDenied.ApplicationState");
            String deployOp = deployAnswers.stream().filter(a -> a.startsWith("op-")).findFirst().orElseThrow();
            assertThat(lp.awaitOperation(deployOp).path("OperationState").asText()).isEqualTo("SUCCESS");
            // nothing half-done: one application, one instance, one operation of that kind
            var jdbi = lp.plane.database().jdbi();
            assertThat(new ApplicationRepository(jdbi).list(deployTarget)).hasSize(1);
            assertThat(new InstanceRepository(jdbi).list(deployTarget)).hasSize(1);
            assertThat(lp.call("ListOperations", "{\"ClusterIds\":[\"" + deployTarget
                    + "\"],\"OperationNames\":[\"DeployApplications\"]}").path("TotalCount").asLong()).isEqualTo(1);

            String deleteTarget = lp.runningCluster("delete-race", LifecyclePlane.apps("Hive"));
            List<String> deleteAnswers = race(racer -> lp.call("DeleteVirtualCluster", "{\"ClusterId\":\""
                    + deleteTarget + "\",\"ClientToken\":\"" + racer + "\"}").path("OperationId").asText());
            assertOneAccepted(deleteAnswers, "OperationDenied.ConflictingOperation", "OperationDenied.ClusterState");
            String deleteOp = deleteAnswers.stream().filter(a -> a.startsWith("op-")).findFirst().orElseThrow();
            assertThat(lp.awaitOperation(deleteOp).path("OperationState").asText()).isEqualTo("SUCCESS");
            assertThat(lp.cluster(deleteTarget).path("ClusterState").asText()).isEqualTo("DELETED");
            assertThat(lp.call("ListOperations", "{\"ClusterIds\":[\"" + deleteTarget
                    + "\"],\"OperationNames\":[\"DeleteCluster\"]}").path("TotalCount").asLong()).isEqualTo(1);
        }
    }

    /**
     * Each answer: the OperationId when accepted, else the error code. Each racer sends its own
     * ClientToken: identical signed requests would be one request (a replay gets the first answer).
     */
    private static List<String> race(Function<String, String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                String racer = "racer-" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return call.apply(racer);
                    } catch (EmrApiException e) {
                        return e.code();
                    }
                }));
            }
            start.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOneAccepted(List<String> answers, String... refusals) {
        assertThat(answers).hasSize(RACERS);
        assertThat(answers.stream().filter(a -> a.startsWith("op-"))).hasSize(1);
        assertThat(answers.stream().filter(a -> !a.startsWith("op-"))).allMatch(a -> List.of(refusals).contains(a),
                "refused with " + String.join(" or ", refusals));
    }
}
