package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A bound on the chart renders requests run while they are accepted. Each render holds a turn; a request that
 * finds every turn taken waits a little for one, then is refused with 429 FlowLimitExceeded naming the limit
 * (the official SDKs retry on 429). Renders are CPU work in Helm's Go runtime and hold the instance's values
 * several times over, so an unbounded number of them would let a burst of config requests take every core and
 * much of the heap from the calls that need neither.
 */
public final class RenderTurns {
    /** Two cores keep busy with four; a warm render takes 5–30 ms, one at the item limit a few hundred. */
    public static final int DEFAULT_LIMIT = 4;
    /** Long enough to ride out a burst of renders, short enough that a caller learns quickly to retry. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    private final int limit;
    private final Duration wait;
    private final Semaphore turns;

    public RenderTurns(int limit, Duration wait) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.wait = wait;
        this.turns = new Semaphore(limit, true);
    }

    public static RenderTurns defaults() {
        return new RenderTurns(DEFAULT_LIMIT, DEFAULT_WAIT);
    }

    /** Runs {@code render} in a turn; 429 naming {@code what} and the limit when none frees within the wait. */
    public <T> T inTurn(String what, Supplier<T> render) {
        acquire(what);
        try {
            return render.get();
        } finally {
            turns.release();
        }
    }

    private void acquire(String what) {
        boolean acquired;
        try {
            acquired = turns.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ErrorCode.FLOW_LIMIT_EXCEEDED.exception("Checking " + what + " needs a chart render, and the"
                    + " server's limit of " + limit + " concurrent chart renders for requests stayed reached for "
                    + wait.toMillis() + " ms; retry shortly.");
        }
    }
}
