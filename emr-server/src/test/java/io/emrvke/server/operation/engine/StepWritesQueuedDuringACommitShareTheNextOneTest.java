package io.emrvke.server.operation.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link GroupedWrites}: writes queued while a commit runs go together in the next one; each caller gets its own outcome. */
class StepWritesQueuedDuringACommitShareTheNextOneTest {
    @Test
    void writesQueuedBehindACommitAreCommittedTogetherAndEachCallerGetsItsOwnResult() throws Exception {
        CountDownLatch firstCommitEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstCommit = new CountDownLatch(1);
        List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        GroupedWrites writes = new GroupedWrites(work -> {
            List<Object> results = work.run(null, 0);
            groupSizes.add(results.size());
            if (groupSizes.size() == 1) {
                firstCommitEntered.countDown();
                await(releaseFirstCommit);
            }
            return results;
        });
        ExecutorService threads = Executors.newFixedThreadPool(11);
        try {
            Future<Integer> first = threads.submit(() -> writes.write((h, now) -> 0));
            await(firstCommitEntered);
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int n = i;
                queued.add(threads.submit(() -> writes.write((h, now) -> n)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writes.queued() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writes.queued()).isEqualTo(10);
            releaseFirstCommit.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 0; i < queued.size(); i++) {
                assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            assertThat(groupSizes).containsExactly(1, 10);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedCommitFailsEveryWriteOfItsGroupAndTheNextWriteCommitsAgain() {
        List<Integer> commits = new CopyOnWriteArrayList<>();
        GroupedWrites writes = new GroupedWrites(work -> {
            commits.add(1);
            if (commits.size() == 1) {
                throw new LeaseLostException("op-1");
            }
            return work.run(null, 0);
        });

        assertThatThrownBy(() -> writes.write((h, now) -> "lost")).isInstanceOf(LeaseLostException.class);
        assertThat((String) writes.write((h, now) -> "kept")).isEqualTo("kept");
        assertThat(commits).hasSize(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
