package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.StepRow;
import java.time.Duration;
import java.util.Optional;

/** What a running step knows and may do. */
public interface StepContext {

    /** The step as stored when this attempt started (state RUNNING, attempt counted). */
    StepRow step();

    /** The operation the step belongs to. */
    OperationRow operation();

    /** The operation's params JSON, as the service planned it. */
    default String params() {
        return operation().params();
    }

    /**
     * A secret value the plan carried ({@link OperationPlan#secretValues()}), read from the store
     * each time, so a step resumed by another process finds it too. Never write it into a message.
     */
    Optional<String> secretValue(String name);

    /**
     * True when the step should stop at its next safe point: the operation was cancelled, or this
     * process no longer holds the operation's lease. Cheap: no database access.
     */
    boolean cancelRequested();

    /** Epoch millis by which the step must have ended (start + the operation's step timeout). */
    long deadline();

    /** Millis left until {@link #deadline()}, never negative. */
    default long remainingMillis() {
        return Math.max(0, deadline() - System.currentTimeMillis());
    }

    /**
     * How long a wait inside the step may last: the remaining time less a margin (a tenth, 0.2 to 2 s),
     * so that the wait's own timeout, which says why (e.g. the pods' CrashLoopBackOff), ends the step
     * before the engine's bare "timed out" does.
     */
    default Duration waitTimeout() {
        long left = remainingMillis();
        long margin = Math.min(2_000, Math.max(200, left / 10));
        return Duration.ofMillis(Math.max(1, left - margin));
    }

    /** The token an earlier attempt of this step recorded, if any: that attempt may have acted. */
    Optional<String> recordedToken();

    /**
     * Durably writes {@code token} on the step before the executor acts, so that a resumed attempt
     * can tell this one acted (e.g. the restartedAt value it is about to patch).
     *
     * @throws LeaseLostException when this process no longer owns the operation: do not act
     */
    void recordToken(String token);
}
