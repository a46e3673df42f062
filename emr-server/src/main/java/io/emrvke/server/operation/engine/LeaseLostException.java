package io.emrvke.server.operation.engine;

/**
 * This process no longer holds the operation's lease (it expired, another process took it over,
 * or the operation ended): it must not write or act on it any more.
 */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String operationId) {
        super("lease of operation " + operationId + " is no longer held by this process", null, false, false);
    }
}
