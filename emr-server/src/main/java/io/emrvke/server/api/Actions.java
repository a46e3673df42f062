package io.emrvke.server.api;

import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionHandler;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import java.util.Optional;

/**
 * How every handler of this package is registered with the gateway: the domain's exceptions become
 * error codes on the way out ({@link DomainErrors}), and an action that submits an operation has
 * its ClientToken replayed here, once, before its handler runs (docs/api.md#replays-and-idempotency).
 */
final class Actions {
    private Actions() {
    }

    /**
     * An action that submits an operation. It runs only when the request's ClientToken (if any) has
     * no stored answer yet, and gets the token to store with its plan.
     */
    @FunctionalInterface
    interface Submitting {
        Submission submit(ActionContext ctx, Optional<ClientToken> token);
    }

    static ActionSpec read(String name, ActionHandler handler) {
        return ActionSpec.read(name, mapped(handler));
    }

    static ActionSpec mutate(String name, ActionHandler handler) {
        return ActionSpec.mutate(name, mapped(handler));
    }

    /**
     * A mutating action whose answer is its operation: a request repeating a ClientToken gets the
     * original answer before any check of the current state, so a retry of a request that changed
     * the state is answered as the first one was.
     */
    static ActionSpec submitting(String name, OperationSubmitter submitter, Submitting handler) {
        return mutate(name, ctx -> {
            Optional<ClientToken> token = ClientTokens.of(ctx);
            Submission s = submitter.replay(ctx.caller().accountId(), token)
                    .orElseGet(() -> handler.submit(ctx, token));
            return LifecycleResult.of(s);
        });
    }

    private static ActionHandler mapped(ActionHandler handler) {
        return ctx -> {
            try {
                return handler.handle(ctx);
            } catch (RuntimeException e) {
                throw DomainErrors.toApi(e);
            }
        };
    }
}
