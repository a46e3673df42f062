package io.emrvke.server.api;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.InvalidConfigValueException;
import io.emrvke.server.catalog.RefusedValueException;
import io.emrvke.server.catalog.UnknownReleaseException;
import io.emrvke.server.catalog.UnsupportedActionException;
import io.emrvke.server.operation.OperationEndedException;
import io.emrvke.server.operation.OperationNotFoundException;
import io.emrvke.server.operation.engine.ClientTokenReusedException;
import io.emrvke.server.operation.engine.ConflictingOperationException;

/**
 * The one place where the domain's exceptions become the documented error codes
 * (docs/api.md#errors); the message stays the domain's. Anything else passes through unchanged
 * for the gateway to sort (store failures, ApiExceptions of request checks, internal errors).
 */
final class DomainErrors {
    private static final int MAX_DEPTH = 32;

    private DomainErrors() {
    }

    /** The ApiException for the domain exception {@code e} is or wraps (a transaction may wrap it), else {@code e}. */
    static RuntimeException toApi(RuntimeException e) {
        Throwable c = e;
        for (int i = 0; c != null && i < MAX_DEPTH; i++, c = c.getCause()) {
            if (c instanceof ApiException) {
                return e;
            }
            ErrorCode code = codeOf(c);
            if (code != null) {
                return code.exception(c.getMessage());
            }
        }
        return e;
    }

    private static ErrorCode codeOf(Throwable t) {
        if (t instanceof OperationNotFoundException) {
            return ErrorCode.NOT_FOUND_OPERATION;
        }
        if (t instanceof OperationEndedException) {
            return ErrorCode.OPERATION_STATE_DENIED;
        }
        if (t instanceof ConflictingOperationException) {
            return ErrorCode.CONFLICTING_OPERATION;
        }
        if (t instanceof ClientTokenReusedException) {
            return ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH;
        }
        if (t instanceof InvalidConfigValueException || t instanceof RefusedValueException) {
            return ErrorCode.INVALID_PARAMETER;
        }
        if (t instanceof UnknownReleaseException) {
            return ErrorCode.NOT_FOUND_RELEASE_VERSION;
        }
        if (t instanceof UnsupportedActionException) {
            return ErrorCode.UNSUPPORTED_ACTION;
        }
        return null;
    }
}
