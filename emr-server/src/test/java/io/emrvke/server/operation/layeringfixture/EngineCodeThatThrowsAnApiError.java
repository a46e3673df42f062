package io.emrvke.server.operation.layeringfixture;

import io.emrvke.api.ErrorCode;

/** A known breach, in test sources only: engine-side code answering with a wire error code. */
public final class EngineCodeThatThrowsAnApiError {
    private EngineCodeThatThrowsAnApiError() {
    }

    public static RuntimeException notFound(String operationId) {
        return ErrorCode.NOT_FOUND_OPERATION.exception("The operation '" + operationId + "' does not exist.");
    }
}
