package io.emrvke.server.sandbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread every simulated controller runs on. Work is keyed: a key already waiting is not
 * queued twice, so a burst of events for one object costs one reconcile. Timers (pod readiness,
 * crash loops) land on the same thread, so controllers never race each other.
 */
final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-controllers");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    /** Runs {@code work} soon, unless the same key is already waiting to run. */
    void enqueue(String key, Runnable work) {
        if (!waiting.add(key)) {
            return;
        }
        submit(() -> {
            waiting.remove(key);
            work.run();
        }, 0);
    }

    /** Runs {@code work} after {@code delayMs}. */
    void later(long delayMs, Runnable work) {
        submit(work, delayMs);
    }

    private void submit(Runnable work, long delayMs) {
        try {
            executor.schedule(() -> safely(work), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the work no longer matters
        }
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
        try {
            executor.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // best effort
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
