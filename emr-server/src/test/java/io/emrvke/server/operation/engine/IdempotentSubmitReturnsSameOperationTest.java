package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.emrvke.server.api.ClientTokens;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Database;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class IdempotentSubmitReturnsSameOperationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClientToken token(String json) throws Exception {
        return ClientTokens.of("RunApplicationAction", Params.of(JSON.readTree(json))).orElseThrow();
    }

    private static long operationCount(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operations").mapTo(Long.class).one());
    }

    @StoreTest
    void theSameTokenAndParametersGetTheOriginalOperationAlsoFromANewProcess(StoreBackend backend) throws Exception {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationSubmitter first = new OperationSubmitter(f.db, f.engine(b -> { }));
            ClientToken t = token("{\"ClusterId\":\"" + cluster + "\",\"ActionName\":\"restart\",\"ClientToken\":\"tok-1\"}");
            Submission original = first.submit(EngineFixture.plan(cluster, "restart", "r-1").clientToken(t).build());

            Submission again = first.submit(EngineFixture.plan(cluster, "restart", "r-1").clientToken(t).build());
            // Key order and the token's own field do not matter; a fresh process on the same store answers the same.
            ClientToken reordered = token("{\"ClientToken\":\"tok-1\",\"ActionName\":\"restart\",\"ClusterId\":\"" + cluster + "\"}");
            Database otherProcess = f.store.open();
            OperationSubmitter second = new OperationSubmitter(otherProcess,
                    OperationEngine.builder(otherProcess).build());
            Submission fromNewProcess = second.submit(EngineFixture.plan(cluster, "restart", "r-1")
                    .clientToken(reordered).build());

            assertThat(original.replayed()).isFalse();
            assertThat(again).isEqualTo(new Submission(cluster, original.operationId(), true));
            assertThat(fromNewProcess).isEqualTo(new Submission(cluster, original.operationId(), true));
            assertThat(second.replay(EngineFixture.ACCOUNT, reordered)).contains(fromNewProcess);
            assertThat(second.replay(EngineFixture.OTHER_ACCOUNT, reordered)).as("tokens are per account").isEmpty();
            assertThat(operationCount(f.db)).isEqualTo(1);

            ClientToken changed = token("{\"ClusterId\":\"" + cluster + "\",\"ActionName\":\"stop\",\"ClientToken\":\"tok-1\"}");
            assertThatThrownBy(() -> second.submit(EngineFixture.plan(cluster, "stop", "r-1").clientToken(changed).build()))
                    .isInstanceOfSatisfying(ClientTokenReusedException.class, e ->
                            assertThat(e.getMessage()).contains("ClientToken"));
            assertThat(operationCount(f.db)).isEqualTo(1);
        }
    }

    @StoreTest
    void concurrentRetriesOfOneRequestAllGetTheSameOperation(StoreBackend backend) throws Exception {
        try (EngineFixture f = new EngineFixture(backend)) {
            String cluster = f.newCluster();
            OperationSubmitter submitter = new OperationSubmitter(f.db, f.engine(b -> { }));
            ClientToken t = token("{\"ClusterId\":\"" + cluster + "\",\"ClientToken\":\"retry-me\"}");
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Submission>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return submitter.submit(EngineFixture.plan(cluster, "restart", "r-1").clientToken(t).build());
                }));
            }
            go.countDown();
            Set<String> ids = new java.util.HashSet<>();
            for (Future<Submission> fu : futures) {
                ids.add(fu.get().operationId());
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
            assertThat(operationCount(f.db)).isEqualTo(1);
        }
    }
}
