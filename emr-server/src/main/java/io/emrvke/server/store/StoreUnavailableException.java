package io.emrvke.server.store;

/** The store cannot be opened or reached; the message says what to do about it. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
