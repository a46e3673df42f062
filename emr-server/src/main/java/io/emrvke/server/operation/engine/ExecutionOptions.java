package io.emrvke.server.operation.engine;

import java.util.Objects;

/** How an operation's steps are run; stored with the operation so a resumed one runs the same way. */
public record ExecutionOptions(FailureStrategy failureStrategy, long batchIntervalMillis, long stepTimeoutMillis) {
    public static final long DEFAULT_STEP_TIMEOUT_MILLIS = 600_000;

    public ExecutionOptions {
        Objects.requireNonNull(failureStrategy, "failureStrategy");
        if (batchIntervalMillis < 0) {
            throw new IllegalArgumentException("batchIntervalMillis must be >= 0");
        }
        if (stepTimeoutMillis <= 0) {
            throw new IllegalArgumentException("stepTimeoutMillis must be > 0");
        }
    }

    /** BLOCK, no interval, 600 s per step (the defaults of docs/api.md#runapplicationaction). */
    public static ExecutionOptions defaults() {
        return new ExecutionOptions(FailureStrategy.BLOCK, 0, DEFAULT_STEP_TIMEOUT_MILLIS);
    }
}
