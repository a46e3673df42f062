package io.emrvke.server.operation;

/** A listed operation: the row and its step counts, without the steps themselves. */
public record OperationWithProgress(OperationRow operation, Progress progress) {
}
