package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import org.jdbi.v3.core.Handle;

/**
 * Domain consequences of an operation's end, per OperationName (e.g. the cluster becomes RUNNING
 * or INIT_FAILED). Runs in the transaction that makes the operation terminal, so the domain state
 * and the operation state change together or not at all.
 */
@FunctionalInterface
public interface OperationLifecycle {

    void onFinished(Handle handle, OperationRow operation, OperationState finalState, String reason);

    /** Runs in the transaction that moves the operation from ACCEPT to RUNNING. */
    default void onStarted(Handle handle, OperationRow operation) {
    }
}
