package io.emrvke.server.application;

import io.emrvke.server.account.Caller;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationPlan;

/**
 * Who asks for an operation and what its record keeps of the request: the caller, the request as
 * the operation's Content shows it (secret values masked) and its ClientToken (null without one).
 */
public record Requester(Caller caller, String content, ClientToken clientToken) {

    /** A plan of {@code name} on the cluster, its operator, Content and ClientToken filled in. */
    OperationPlan.Builder plan(String clusterId, OperationName name) {
        return OperationPlan.builder(caller.accountId(), caller.userId(), clusterId, name)
                .operator(caller.userName())
                .content(content)
                .clientToken(clientToken);
    }
}
