package io.emrvke.server.api;

import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.engine.OperationEngine;

/**
 * CancelOperation (docs/api.md#canceloperation): steps not started end CANCEL, a running step stops
 * at its next safe point, the operation ends CANCEL; an operation that already ended is refused with
 * OperationDenied.OperationState naming its state.
 */
public final class CancelOperationAction {
    public static final String NAME = "CancelOperation";

    /** The Result: the operation's cluster and id. */
    public record Result(String clusterId, String operationId) {
    }

    private final OperationEngine engine;

    public CancelOperationAction(OperationEngine engine) {
        this.engine = engine;
    }

    public ActionSpec spec() {
        return Actions.mutate(NAME, this::handle);
    }

    Result handle(ActionContext ctx) {
        String operationId = ctx.params().requiredString("OperationId");
        OperationRow operation = engine.cancel(ctx.caller().accountId(), operationId);
        return new Result(operation.clusterId(), operation.operationId());
    }
}
