package io.emrvke.server.application;

import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.StepRow;
import io.emrvke.server.operation.engine.StepContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One step of one operation as the engine hands it to an executor, with no engine: the token it records is kept
 * here (so running the executor again with the same context is a resumed attempt), a cancel is asked for with
 * {@link #cancel()}, and the deadline is a minute away.
 */
final class FakeStepContext implements StepContext {
    private final OperationRow operation;
    private final StepRow step;
    private final Map<String, String> secretValues;
    private final AtomicReference<String> token = new AtomicReference<>();
    private volatile boolean cancelled;

    FakeStepContext(OperationRow operation, StepRow step, Map<String, String> secretValues) {
        this.operation = operation;
        this.step = step;
        this.secretValues = Map.copyOf(secretValues);
    }

    /** Step {@code action} on {@code releaseName} (null: a cluster step) of an operation with these params. */
    static FakeStepContext of(String clusterId, OperationName name, String releaseName, String action, String params,
                              Map<String, String> secretValues) {
        OperationRow op = OperationRow.accepted("op-1", 1, 1, "root", clusterId, name, "{}", null, params,
                System.currentTimeMillis());
        StepRow step = StepRow.planned("op-1", 0, 0, "Ray", "RayCluster", releaseName, action);
        return new FakeStepContext(op, step, secretValues);
    }

    void cancel() {
        cancelled = true;
    }

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
        return Optional.ofNullable(secretValues.get(name));
    }

    @Override
    public boolean cancelRequested() {
        return cancelled;
    }

    @Override
    public long deadline() {
        return System.currentTimeMillis() + 60_000;
    }

    @Override
    public Optional<String> recordedToken() {
        return Optional.ofNullable(token.get());
    }

    @Override
    public void recordToken(String recorded) {
        token.set(recorded);
    }
}
