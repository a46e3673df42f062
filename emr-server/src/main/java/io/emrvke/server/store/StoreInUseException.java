package io.emrvke.server.store;

/** The embedded store is open in another process (a running server), which alone may use it. */
public class StoreInUseException extends StoreUnavailableException {
    public StoreInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
