package io.emrvke.server.operation.engine;

import io.emrvke.server.logging.LogContext;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreFailure;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One attempt of one step: the executor's context, and the single place its end is decided. */
final class StepAttempt implements StepContext {
    private static final Logger log = LoggerFactory.getLogger(StepAttempt.class);

    private final OperationRun run;
    private final OperationRow operation;
    private final StepRow step;
    private final long deadline;
    private final StepExecutor executor;
    private final AtomicReference<StepState> end = new AtomicReference<>();
    private volatile boolean timedOut;
    private volatile Future<?> future;

    StepAttempt(OperationRun run, OperationRow operation, StepRow step, long deadline, StepExecutor executor) {
        this.run = run;
        this.operation = operation;
        this.step = step;
        this.deadline = deadline;
        this.executor = executor;
    }

    /** Runs the executor on a step thread and records how it ended. */
    void execute() {
        MDC.put(LogContext.OPERATION_ID, step.operationId());
        MDC.put(LogContext.STEP_ID, String.valueOf(step.stepId()));
        try {
            StepResult result = callExecutor();
            run.endStep(this, result.outcome().state(), result.message());
        } catch (LeaseLostException e) {
            log.info("Result of step {} of {} not recorded: lease lost", step.stepId(), step.operationId());
        } catch (RuntimeException e) {
            // not recorded: the step stays unfinished and runs again when the operation resumes
            run.pauseOrRethrow(e);
        } finally {
            MDC.remove(LogContext.OPERATION_ID);
            MDC.remove(LogContext.STEP_ID);
        }
    }

    private StepResult callExecutor() {
        if (executor == null) {
            return StepResult.failed("no executor is registered for step action '" + step.action() + "'");
        }
        try {
            StepResult result = executor.execute(this);
            return result == null ? StepResult.failed("the step executor returned no result") : result;
        } catch (LeaseLostException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepResult.failed("interrupted");
        } catch (Exception e) {
            if (StoreFailure.isOutage(e)) {
                // the store failed, not the step: it must not end FAILED for that
                throw e instanceof RuntimeException r ? r : new IllegalStateException("the store failed", e);
            }
            log.warn("Step {} ({}) of {} failed", step.stepId(), step.action(), step.operationId(), e);
            String message = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName() : e.getMessage();
            return StepResult.failed(message);
        }
    }

    /** True for the first caller only: the attempt ends once. */
    boolean claimEnd(StepState state) {
        return end.compareAndSet(null, state);
    }

    /** How the attempt ended; null when it did not end (e.g. the lease was lost). */
    StepState outcome() {
        return end.get();
    }

    void timeOut() {
        timedOut = true;
    }

    void future(Future<?> f) {
        this.future = f;
    }

    Future<?> future() {
        return future;
    }

    // --- StepContext -------------------------------------------------------------------------

    @Override
    public StepRow step() {
        return step;
    }

    @Override
    public OperationRow operation() {
        return operation;
    }

    @Override
    public Optional<String> secretValue(String name) {
        return run.secretValue(name);
    }

    @Override
    public boolean cancelRequested() {
        return timedOut || run.shouldStop();
    }

    @Override
    public long deadline() {
        return deadline;
    }

    @Override
    public Optional<String> recordedToken() {
        return Optional.ofNullable(step.restartToken());
    }

    @Override
    public void recordToken(String token) {
        run.recordToken(step, token);
    }
}
