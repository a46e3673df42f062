package io.emrvke.server.operation.engine;

/**
 * The answer to a submit: the operation (new, or the original one when {@code replayed} because
 * the ClientToken was seen before) and its cluster.
 */
public record Submission(String clusterId, String operationId, boolean replayed) {
}
