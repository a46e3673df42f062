package io.emrvke.server.store;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether the store can commit a write now, for readiness: a one-row UPDATE, so that a full disk
 * shows even while reads are still answered from memory. It runs at most every half second, by
 * whichever caller finds the answer stale; callers arriving meanwhile get the last answer, so
 * probes cost nothing under load and never queue behind a store that hangs.
 */
final class StoreHeartbeat {
    private static final long FRESH_NANOS = 500_000_000L;
    private static final int TIMEOUT_SECONDS = 2;

    private final Jdbi jdbi;
    private final BooleanSupplier closed;
    private final ReentrantLock probing = new ReentrantLock();
    private volatile Beat last;

    /** One probe's answer: {@code problem} is null when the write committed. */
    private record Beat(long atNanos, String problem) {
        boolean fresh() {
            return System.nanoTime() - atNanos < FRESH_NANOS;
        }
    }

    StoreHeartbeat(Jdbi jdbi, BooleanSupplier closed) {
        this.jdbi = jdbi;
        this.closed = closed;
    }

    /** Null when the last heartbeat write committed, else why it did not. */
    String problem() {
        Beat seen = last;
        if (seen != null && (seen.fresh() || !probing.tryLock())) {
            return seen.problem();
        }
        if (seen == null) {
            probing.lock();
        }
        try {
            Beat current = last;
            if (current == null || !current.fresh()) {
                current = new Beat(System.nanoTime(), beat());
                last = current;
            }
            return current.problem();
        } finally {
            probing.unlock();
        }
    }

    private String beat() {
        if (closed.getAsBoolean()) {
            return "closed";
        }
        try {
            int rows = jdbi.withHandle(h -> h.createUpdate("UPDATE store_heartbeat SET beat_time = :now WHERE id = 1")
                    .bind("now", System.currentTimeMillis())
                    .setQueryTimeout(TIMEOUT_SECONDS)
                    .execute());
            return rows == 1 ? null : "failing: its heartbeat row is missing (table store_heartbeat)";
        } catch (RuntimeException e) {
            return "failing: " + StoreFailure.describe(e);
        }
    }
}
