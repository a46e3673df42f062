package io.emrvke.server.operation;

/**
 * An operation as stored. {@code content} is the request as JSON text with secrets already
 * replaced by {@code ******} (the writer's duty); {@code params} is the planner's own JSON.
 */
public record OperationRow(String operationId, long accountId, long userId, String operator, String clusterId,
                           OperationName operationName, OperationState state, String stateChangeReason,
                           String content, String remark, String params, long createTime, long updateTime,
                           Long startTime, Long endTime, String leaseOwner, Long leaseExpires,
                           Long heartbeatTime, boolean cancelRequested) {

    /** A new operation, queued (ACCEPT), unleased. */
    public static OperationRow accepted(String operationId, long accountId, long userId, String operator,
                                        String clusterId, OperationName name, String content, String remark,
                                        String params, long now) {
        return new OperationRow(operationId, accountId, userId, operator, clusterId, name, OperationState.ACCEPT,
                null, content, remark, params, now, now, null, null, null, null, null, false);
    }
}
