package io.emrvke.server.catalog;

/** An action a component does not support; the API answers it OperationDenied.UnsupportedAction. */
public final class UnsupportedActionException extends RuntimeException {
    public UnsupportedActionException(String message) {
        super(message, null, false, false);
    }
}
