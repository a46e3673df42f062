package io.emrvke.server.operation.engine;

/** A ClientToken the account already used for the action with other parameters. */
public final class ClientTokenReusedException extends RuntimeException {
    public ClientTokenReusedException(String message) {
        super(message, null, false, false);
    }
}
