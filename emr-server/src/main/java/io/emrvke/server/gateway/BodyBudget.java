package io.emrvke.server.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies being received may take together: each {@link BodyReader} reserves
 * what its buffer grows by and gives it back when its request ends. Slow senders that have pushed a
 * large part of a body and then stall cannot, together, hold more than this.
 */
final class BodyBudget {
    private final long capacity;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} from the budget; false (taking nothing) when that would exceed it. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long capacity() {
        return capacity;
    }

    long held() {
        return held.get();
    }
}
