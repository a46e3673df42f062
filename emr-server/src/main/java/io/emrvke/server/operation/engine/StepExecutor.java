package io.emrvke.server.operation.engine;

/**
 * Does one kind of step (registered under its action key). Must be idempotent: after a crash the
 * step may run again, and {@link StepContext#recordedToken()} tells it whether an earlier attempt
 * already acted. It should return soon after {@link StepContext#cancelRequested()} turns true and
 * by {@link StepContext#deadline()}. An exception fails the step with the exception's message.
 */
@FunctionalInterface
public interface StepExecutor {
    StepResult execute(StepContext context) throws Exception;
}
