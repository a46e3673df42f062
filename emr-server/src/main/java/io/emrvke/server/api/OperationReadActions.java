package io.emrvke.server.api;

import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.OperationFilter;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationNotFoundException;
import io.emrvke.server.operation.OperationRepository;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.OperationWithProgress;
import io.emrvke.server.store.Ids;
import io.emrvke.server.store.Page;
import java.util.List;

/** GetOperation (docs/api.md#getoperation) and ListOperations (docs/api.md#listoperations), read from the store. */
public final class OperationReadActions {
    private final OperationRepository operations;

    public OperationReadActions(OperationRepository operations) {
        this.operations = operations;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.read("GetOperation", this::get),
                Actions.read("ListOperations", this::list));
    }

    OperationView get(ActionContext ctx) {
        String operationId = ctx.params().requiredString("OperationId");
        if (!Ids.isOperationId(operationId)) {
            throw new OperationNotFoundException(operationId);
        }
        return operations.get(ctx.caller().accountId(), operationId)
                .map(OperationView::withSteps)
                .orElseThrow(() -> new OperationNotFoundException(operationId));
    }

    Page<OperationView> list(ActionContext ctx) {
        Params p = ctx.params();
        OperationFilter filter = new OperationFilter(
                p.stringList("ClusterIds"),
                p.choiceList("OperationStates", OperationState.wireNames()).stream()
                        .map(OperationState::fromWire).toList(),
                p.choiceList("OperationNames", OperationName.wireNames()).stream()
                        .map(OperationName::fromWire).toList(),
                p.optionalLong("CreateTimeAfter", 0, Long.MAX_VALUE).orElse(null),
                p.optionalLong("CreateTimeBefore", 0, Long.MAX_VALUE).orElse(null));
        Page.Request paging = Paging.of(p);
        Page<OperationWithProgress> page = operations.list(ctx.caller().accountId(), filter, paging);
        return paging.page(page.items().stream().map(OperationView::withoutSteps).toList(), page.totalCount());
    }
}
