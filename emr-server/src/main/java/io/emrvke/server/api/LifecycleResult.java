package io.emrvke.server.api;

import io.emrvke.server.operation.engine.Submission;

/** The Result of every lifecycle action: the cluster and the operation doing the work. */
public record LifecycleResult(String clusterId, String operationId) {

    public static LifecycleResult of(Submission s) {
        return new LifecycleResult(s.clusterId(), s.operationId());
    }
}
