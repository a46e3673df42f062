package io.emrvke.server.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads the simulated controllers run on: a few lanes, each one thread. Work names a lane (a
 * workload: its reconciles and the kubelet's steps for its pods) and always runs on that lane's
 * thread, so the steps for one workload never race each other, while independent workloads proceed
 * side by side. Work is keyed: a key already waiting is not queued twice, so a burst of events for one
 * object costs one reconcile. Timers (pod readiness, crash loops) land on their lane too.
 */
final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);
    private final List<ScheduledExecutorService> lanes = new ArrayList<>();
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    /** Work running on a lane right now. */
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    /** The key of the keyed work running on the current thread, if any. */
    private static final ThreadLocal<String> RUNNING = new ThreadLocal<>();

    ControlLoop() {
        this(Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    ControlLoop(int laneCount) {
        for (int i = 0; i < laneCount; i++) {
            String name = "sandbox-controllers-" + i;
            lanes.add(Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    /** Runs {@code work} soon on the lane named {@code key}, unless the same key is already waiting. */
    void enqueue(String key, Runnable work) {
        enqueue(key, key, work);
    }

    /** Runs {@code work} soon on {@code lane}, unless the same key is already waiting to run. */
    void enqueue(String lane, String key, Runnable work) {
        if (!waiting.add(key)) {
            return;
        }
        submit(lane, () -> {
            waiting.remove(key);
            RUNNING.set(key);
            try {
                work.run();
            } finally {
                RUNNING.remove();
            }
        }, 0);
    }

    /** Whether the current thread is running the work queued under {@code key}. */
    static boolean isRunning(String key) {
        return key.equals(RUNNING.get());
    }

    /** Runs {@code work} on {@code lane} after {@code delayMs}. */
    void later(String lane, long delayMs, Runnable work) {
        submit(lane, work, delayMs);
    }

    /** Whether any lane has work running or waiting (timers not yet due do not count). */
    boolean busy() {
        return running.get() > 0 || !waiting.isEmpty();
    }

    private void submit(String lane, Runnable work, long delayMs) {
        try {
            laneOf(lane).schedule(() -> {
                running.incrementAndGet();
                try {
                    safely(work);
                } finally {
                    running.decrementAndGet();
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the work no longer matters
        }
    }

    private ScheduledExecutorService laneOf(String lane) {
        return lanes.get(Math.floorMod(lane.hashCode(), lanes.size()));
    }

    private static void safely(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("sandbox controller step failed: {}", e.toString());
        }
    }

    /** Blocks until everything queued so far has run (used before a final snapshot). */
    void drain(long timeoutMs) {
        List<Future<?>> marks = new ArrayList<>();
        for (ScheduledExecutorService lane : lanes) {
            try {
                marks.add(lane.submit(() -> { }));
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Future<?> mark : marks) {
            try {
                mark.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Override
    public void close() {
        lanes.forEach(ScheduledExecutorService::shutdownNow);
        try {
            for (ScheduledExecutorService lane : lanes) {
                lane.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
