package io.emrvke.server.operation.engine;

/** An unfinished operation already holds a target the new one needs; the message names it. */
public final class ConflictingOperationException extends RuntimeException {
    public ConflictingOperationException(String message) {
        super(message, null, false, false);
    }
}
