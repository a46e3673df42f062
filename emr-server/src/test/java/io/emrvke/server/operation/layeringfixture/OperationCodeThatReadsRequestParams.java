package io.emrvke.server.operation.layeringfixture;

import io.emrvke.server.gateway.Params;

/**
 * A known breach of the layering, in test sources only: domain code (it sits under operation)
 * reading a gateway type. PackagesFollowTheLayeringTest proves its rules refuse it.
 */
public final class OperationCodeThatReadsRequestParams {
    private OperationCodeThatReadsRequestParams() {
    }

    public static String clusterId(Params request) {
        return request.requiredString("ClusterId");
    }
}
