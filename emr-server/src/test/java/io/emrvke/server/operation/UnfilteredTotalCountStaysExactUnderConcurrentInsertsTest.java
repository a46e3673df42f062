package io.emrvke.server.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.emrvke.server.store.Ids;
import io.emrvke.server.store.Page;
import io.emrvke.server.store.StoreBackend;
import io.emrvke.server.store.StoreBackends.StoreTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;

/**
 * An unfiltered ListOperations takes its TotalCount from per-account counts kept with each insert
 * (not from counting the account's rows): they stay exact when many transactions insert the first
 * operations of a new account at once, and filtered lists still count rows.
 */
class UnfilteredTotalCountStaysExactUnderConcurrentInsertsTest {
    private static final int THREADS = 16;
    private static final int PER_THREAD = 25;

    @StoreTest
    void countsMatchTheRowsAfterConcurrentFirstInserts(StoreBackend backend) throws Exception {
        Jdbi jdbi = backend.database().jdbi();
        OperationRepository operations = new OperationRepository(jdbi);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> inserts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            inserts.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < PER_THREAD; i++) {
                    operations.insert(operation(7, "emr-counted0000000000a"), List.of());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : inserts) {
            f.get();
        }
        pool.shutdown();
        for (int i = 0; i < 3; i++) {
            operations.insert(operation(8, "emr-counted0000000000b"), List.of());
        }

        assertThat(totalCount(operations, 7, OperationFilter.none())).isEqualTo(THREADS * PER_THREAD)
                .isEqualTo(rows(jdbi, 7));
        assertThat(totalCount(operations, 8, OperationFilter.none())).isEqualTo(3).isEqualTo(rows(jdbi, 8));
        assertThat(totalCount(operations, 9, OperationFilter.none())).isZero();
        OperationFilter byCluster = new OperationFilter(List.of("emr-counted0000000000b"), null, null, null, null);
        assertThat(totalCount(operations, 8, byCluster)).isEqualTo(3);
        assertThat(totalCount(operations, 7, byCluster)).isZero();
    }

    private static OperationRow operation(long accountId, String clusterId) {
        return OperationRow.accepted(Ids.newOperationId(), accountId, 1, "root", clusterId,
                OperationName.CREATE_CLUSTER, "{}", null, null, System.currentTimeMillis());
    }

    private static long totalCount(OperationRepository operations, long accountId, OperationFilter filter) {
        return operations.list(accountId, filter, new Page.Request(10, 0)).totalCount();
    }

    private static long rows(Jdbi jdbi, long accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM operations WHERE account_id = :a")
                .bind("a", accountId).mapTo(Long.class).one());
    }
}
