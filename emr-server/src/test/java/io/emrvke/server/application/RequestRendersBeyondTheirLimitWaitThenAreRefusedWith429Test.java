package io.emrvke.server.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.api.ChartCheck;
import io.emrvke.server.api.RenderTurns;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ReleaseSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bound on chart renders run while requests are accepted ({@link RenderTurns}): never more at once than the
 * limit; a render that finds every turn taken waits, runs when a turn frees within the wait, and otherwise is
 * refused with 429 FlowLimitExceeded naming the limit and the request field.
 */
class RequestRendersBeyondTheirLimitWaitThenAreRefusedWith429Test {
    private static final String FIELD = "Applications.1.ApplicationConfigs";

    @Test
    void rendersNeverRunMoreAtOnceThanTheLimit() throws Exception {
        RenderTurns turns = new RenderTurns(2, Duration.ofSeconds(30));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(callers.submit(() -> turns.inTurn(FIELD, () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(10);
                    return running.decrementAndGet();
                })));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void aRenderFindingEveryTurnTakenIsRefusedWith429NamingTheLimitAfterTheWait() throws Exception {
        RenderTurns turns = new RenderTurns(1, Duration.ofMillis(300));
        ChartCheck check = new ChartCheck(RuntimeFixtures.renderer(), "pool", turns);
        try (HeldTurn held = HeldTurn.of(turns)) {
            long start = System.nanoTime();
            ApiException refused = catchThrowableOfType(ApiException.class,
                    () -> check.requireRenders(raySpec(), FIELD, List.of()));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(refused.error()).isEqualTo(ErrorCode.FLOW_LIMIT_EXCEEDED);
            assertThat(refused.error().httpStatus()).isEqualTo(429);
            assertThat(refused.getMessage()).contains(FIELD, "limit of 1 concurrent chart renders", "300 ms");
            assertThat(waitedMs).isGreaterThanOrEqualTo(300);
        }
        assertThatCode(() -> check.requireRenders(raySpec(), FIELD, List.of())).as("once the turn is free")
                .doesNotThrowAnyException();
    }

    @Test
    void aRenderWaitingForATurnRunsWhenOneFreesWithinTheWait() throws Exception {
        RenderTurns turns = new RenderTurns(1, Duration.ofSeconds(30));
        ChartCheck check = new ChartCheck(RuntimeFixtures.renderer(), "pool", turns);
        HeldTurn held = HeldTurn.of(turns);
        Thread freer = new Thread(() -> {
            sleep(200);
            held.close();
        });
        freer.start();

        assertThatCode(() -> check.requireRenders(raySpec(), FIELD, List.of())).doesNotThrowAnyException();
        freer.join();
    }

    /** A RayCluster instance with one ray-cluster-values.yaml item: renders fine. */
    private static ReleaseSpec raySpec() {
        return ReleaseSpecs.forInstance("emr-turns", "emr-turns", "raycluster-turn", RuntimeFixtures.app("Ray"),
                RuntimeFixtures.component("Ray", "RayCluster"),
                Map.of("ray-cluster-values.yaml", Map.of("worker_replicas", "1")), new NodePlacement("pool", List.of()));
    }

    /** Another request's render in progress: holds a turn until closed. */
    private static final class HeldTurn implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread holder;

        private HeldTurn(RenderTurns turns, CountDownLatch taken) {
            holder = new Thread(() -> turns.inTurn("another request", () -> {
                taken.countDown();
                await(release);
                return null;
            }));
        }

        static HeldTurn of(RenderTurns turns) throws InterruptedException {
            CountDownLatch taken = new CountDownLatch(1);
            HeldTurn held = new HeldTurn(turns, taken);
            held.holder.start();
            assertThat(taken.await(10, TimeUnit.SECONDS)).as("the other render took its turn").isTrue();
            return held;
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
