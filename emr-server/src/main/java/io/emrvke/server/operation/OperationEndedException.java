package io.emrvke.server.operation;

/** A change asked of an operation that has already ended (e.g. cancelling it). */
public final class OperationEndedException extends RuntimeException {
    public OperationEndedException(String message) {
        super(message, null, false, false);
    }
}
