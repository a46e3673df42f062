package io.emrvke.server.operation.engine;

import io.emrvke.server.logging.LogContext;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.StepState;
import io.emrvke.server.store.StoreFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One claim of one operation by this process: runs its unfinished steps batch by batch and ends
 * it. Every write is fenced by the lease; when the lease is lost (or the engine stops) the run
 * stops at the next safe point and writes nothing more, leaving the rest to whoever claims next.
 */
final class OperationRun implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(OperationRun.class);
    static final int MAX_MESSAGE = 2000;

    private final OperationEngine engine;
    private final EngineStore store;
    private final String operationId;
    private final long leaseMillis;
    private final Object signal = new Object();
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    private volatile boolean stopping;
    private volatile boolean pausedByStore;
    private volatile long leaseValidUntil;
    /** The claimed operation is still ACCEPT: the next fenced write of the run thread marks it RUNNING. */
    private boolean startPending;
    /** The writes of concurrent steps, committed in groups. */
    private final GroupedWrites stepWrites = new GroupedWrites(this::write);

    OperationRun(OperationEngine engine, EngineStore store, String operationId, long claimedAt, long leaseMillis) {
        this.engine = engine;
        this.store = store;
        this.operationId = operationId;
        this.leaseMillis = leaseMillis;
        extendLocalLease(claimedAt);
    }

    String operationId() {
        return operationId;
    }

    // --- signals from the engine -------------------------------------------------------------

    /**
     * The lease was extended by a heartbeat that started at {@code beatStart}. Locally it counts
     * for only 3/4 of the lease, so that this process stops before anyone else may take over.
     */
    void extendLocalLease(long beatStart) {
        leaseValidUntil = beatStart + leaseMillis * 3 / 4;
    }

    void requestCancel() {
        cancelRequested = true;
        wakeUp();
    }

    void loseLease() {
        leaseLost = true;
        wakeUp();
    }

    /** The engine is stopping: stop at the next safe point, write nothing more. */
    void stop() {
        stopping = true;
        wakeUp();
    }

    /**
     * When {@code e} is the store failing (down, full, closed: {@link StoreFailure#isOutage}),
     * stops at the next safe point and writes nothing more: the unfinished steps stay unfinished
     * (not FAILED), and the engine resumes the operation, re-running them, once the store works
     * again. Anything else is rethrown.
     */
    void pauseOrRethrow(RuntimeException e) {
        if (!StoreFailure.isOutage(e)) {
            throw e;
        }
        pause(e);
    }

    private void pause(RuntimeException e) {
        if (!pausedByStore) {
            pausedByStore = true;
            log.warn("Operation {} paused: the store is failing ({}); it resumes when the store works again",
                    operationId, StoreFailure.describe(e));
        }
        wakeUp();
    }

    boolean pausedByStore() {
        return pausedByStore;
    }

    boolean leaseHeld() {
        return !leaseLost && !stopping && !pausedByStore && System.currentTimeMillis() < leaseValidUntil;
    }

    /** What a step sees as cancelRequested(): cancel, or no longer ours to work on. */
    boolean shouldStop() {
        return cancelRequested || !leaseHeld();
    }

    // --- the run -----------------------------------------------------------------------------

    @Override
    public void run() {
        MDC.put(LogContext.OPERATION_ID, operationId);
        try {
            Optional<EngineStore.Loaded> loaded = store.load(operationId);
            if (loaded.isEmpty() || loaded.get().detail().operation().state().isTerminal()) {
                return;
            }
            OperationRow operation = loaded.get().detail().operation();
            if (operation.cancelRequested()) {
                cancelRequested = true;
            }
            // marked RUNNING with the first batch's start (one commit fewer), or here when no batch starts
            startPending = operation.state() == OperationState.ACCEPT && !cancelRequested;
            if (!cancelRequested) {
                executeBatches(operation, loaded.get().detail().steps(), loaded.get().options());
            }
            if (startPending) {
                markRunning(operation);
            }
            finish(operation);
        } catch (LeaseLostException e) {
            if (!pausedByStore) {
                log.info("Stopped working on {}: {}", operationId, e.getMessage());
            }
        } catch (RuntimeException e) {
            if (StoreFailure.isOutage(e)) {
                pause(e);
            } else {
                // the lease runs out and this or another process resumes it
                log.warn("Run of {} interrupted by an error; it will be resumed: {}", operationId, e.toString());
            }
        } finally {
            MDC.remove(LogContext.OPERATION_ID);
            engine.runEnded(this);
        }
    }

    private void markRunning(OperationRow operation) {
        write((h, now) -> {
            markRunning(h, operation, now);
            return null;
        });
        startPending = false;
    }

    private void markRunning(Handle h, OperationRow operation, long now) {
        EngineStore.markOperationRunning(h, operationId, now);
        engine.lifecycle(operation.operationName()).onStarted(h, operation);
    }

    private void executeBatches(OperationRow operation, List<StepRow> steps, ExecutionOptions options) {
        boolean failed = steps.stream().anyMatch(s -> s.state() == StepState.FAILED);
        boolean ranABatch = false;
        for (List<StepRow> batch : batches(steps).values()) {
            List<StepRow> unfinished = batch.stream().filter(s -> !s.state().isTerminal()).toList();
            if (unfinished.isEmpty()) {
                continue;
            }
            if (cancelRequested || (failed && options.failureStrategy() == FailureStrategy.BLOCK)) {
                return;
            }
            if (ranABatch && options.batchIntervalMillis() > 0) {
                pause(options.batchIntervalMillis());
                if (cancelRequested) {
                    return;
                }
            }
            failed |= runBatch(operation, unfinished, options);
            ranABatch = true;
        }
    }

    private static Map<Integer, List<StepRow>> batches(List<StepRow> steps) {
        Map<Integer, List<StepRow>> byBatch = new TreeMap<>();
        for (StepRow s : steps) {
            byBatch.computeIfAbsent(s.batchIndex(), k -> new ArrayList<>()).add(s);
        }
        return byBatch;
    }

    /**
     * Runs the steps of one batch at once and waits for all; true when one of them failed. The
     * run never ends while a step it started still runs: it could be claimed again at once and
     * run that step twice at the same time.
     */
    private boolean runBatch(OperationRow operation, List<StepRow> unfinished, ExecutionOptions options) {
        List<StepAttempt> attempts = List.of();
        try {
            attempts = startSteps(operation, unfinished, options);
        } catch (RuntimeException e) {
            pauseOrRethrow(e);
        }
        boolean failed = false;
        for (StepAttempt attempt : attempts) {
            awaitStep(attempt);
            failed |= attempt.outcome() == StepState.FAILED;
        }
        if (!leaseHeld()) {
            throw new LeaseLostException(operationId);
        }
        return failed;
    }

    /**
     * Marks the batch's steps RUNNING in one fenced transaction (the first batch's also marks the
     * operation RUNNING), then hands them to step threads. One commit for the batch, not one per
     * step: every commit of the embedded store writes its file under one lock, so per-step starts
     * queued behind each other and behind every other commit of the process.
     */
    private List<StepAttempt> startSteps(OperationRow operation, List<StepRow> unfinished, ExecutionOptions options) {
        List<StepAttempt> attempts = write((h, now) -> {
            if (startPending) {
                markRunning(h, operation, now);
            }
            Map<Integer, Integer> attemptNumbers = EngineStore.markStepsRunning(h, operationId,
                    unfinished.stream().map(StepRow::stepIndex).toList(), now);
            List<StepAttempt> started = new ArrayList<>(unfinished.size());
            for (StepRow step : unfinished) {
                StepRow running = new StepRow(step.operationId(), step.stepIndex(), step.stepId(), step.batchIndex(),
                        step.applicationName(), step.componentName(), step.releaseName(), step.action(),
                        StepState.RUNNING, now, null, null, step.restartToken(), attemptNumbers.get(step.stepIndex()));
                started.add(new StepAttempt(this, operation, running, now + options.stepTimeoutMillis(),
                        engine.executor(step.action())));
            }
            return started;
        });
        startPending = false;
        for (StepAttempt attempt : attempts) {
            attempt.future(engine.stepPool().submit(attempt::execute));
        }
        return attempts;
    }

    private void awaitStep(StepAttempt attempt) {
        Future<?> future = attempt.future();
        try {
            future.get(Math.max(1, attempt.deadline() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Claim the end before telling the executor, so its reaction (an interrupt, a
            // cancelled result) cannot be recorded in place of the timeout.
            if (attempt.claimEnd(StepState.FAILED)) {
                attempt.timeOut();
                future.cancel(true);
                writeTimeout(attempt);
            }
        } catch (ExecutionException e) {
            log.warn("Step {} of {} ended abnormally: {}", attempt.step().stepId(), operationId, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseLostException(operationId);
        }
    }

    /**
     * Records a step's timeout. When that cannot be written the run is stopping (lease lost, store
     * failing): the batch's other steps are still awaited, then the run ends and the step runs again.
     */
    private void writeTimeout(StepAttempt attempt) {
        try {
            writeStepEnd(attempt, StepState.FAILED, "timed out after " + seconds(attempt.deadline()
                    - attempt.step().startTime()) + " s without finishing");
        } catch (LeaseLostException e) {
            log.info("Timeout of step {} of {} not recorded: lease lost", attempt.step().stepId(), operationId);
        } catch (RuntimeException e) {
            pauseOrRethrow(e);
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.format("%.1f", millis / 1000.0);
    }

    /** Ends the step's attempt (once: a late executor after a timeout does not overwrite it). */
    void endStep(StepAttempt attempt, StepState state, String message) {
        if (attempt.claimEnd(state)) {
            writeStepEnd(attempt, state, message);
        }
    }

    private void writeStepEnd(StepAttempt attempt, StepState state, String message) {
        stepWrites.write((h, now) -> EngineStore.endStep(h, operationId, attempt.step().stepIndex(), attempt.step().attempt(),
                state, clip(message), now));
    }

    void recordToken(StepRow step, String token) {
        stepWrites.write((h, now) -> {
            EngineStore.recordToken(h, operationId, step.stepIndex(), token);
            return null;
        });
    }

    Optional<String> secretValue(String name) {
        return store.secretValue(operationId, name);
    }

    private void finish(OperationRow operation) {
        Outcome end = write((h, now) -> {
            String notRun = cancelRequested ? "Not run: the operation was cancelled on request."
                    : "Not run: an earlier step failed and the failure strategy is BLOCK.";
            int notRunCount = EngineStore.cancelUnfinishedSteps(h, operationId, notRun, now);
            List<StepRow> steps = store.operations().steps(h, operationId);
            Outcome outcome = Outcome.of(steps, notRunCount);
            store.endOperation(h, operationId, outcome.state(), outcome.reason(), now);
            OperationRow ended = ended(operation, outcome, now);
            engine.lifecycle(operation.operationName()).onFinished(h, ended, outcome.state(), outcome.reason());
            return outcome;
        });
        log.info("Operation {} ended {}", operationId, end.state());
    }

    static OperationRow ended(OperationRow o, Outcome outcome, long now) {
        return new OperationRow(o.operationId(), o.accountId(), o.userId(), o.operator(), o.clusterId(),
                o.operationName(), outcome.state(), outcome.reason(), o.content(), o.remark(), o.params(),
                o.createTime(), now, o.startTime() == null ? now : o.startTime(), now, null, null,
                o.heartbeatTime(), o.cancelRequested());
    }

    /** A fenced write: refused locally when the lease is not ours any more, else by the store. */
    <T> T write(EngineStore.FencedWork<T> work) {
        if (!leaseHeld()) {
            throw new LeaseLostException(operationId);
        }
        try {
            return store.fenced(operationId, () -> cancelRequested = true, work);
        } catch (LeaseLostException e) {
            leaseLost = true;
            throw e;
        }
    }

    /** Waits between batches; a cancel or lost lease cuts the wait short. */
    private void pause(long millis) {
        long until = System.currentTimeMillis() + millis;
        synchronized (signal) {
            long left;
            while (!shouldStop() && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    signal.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LeaseLostException(operationId);
                }
            }
        }
    }

    private void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    static String clip(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
