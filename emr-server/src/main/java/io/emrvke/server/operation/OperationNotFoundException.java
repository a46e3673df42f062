package io.emrvke.server.operation;

import io.emrvke.server.disclosure.Clip;

/** No such operation for the account: a malformed, unknown or another account's id all look the same. */
public final class OperationNotFoundException extends RuntimeException {
    public OperationNotFoundException(String operationId) {
        super("The operation '" + Clip.of(operationId) + "' does not exist.", null, false, false);
    }
}
