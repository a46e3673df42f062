package io.emrvke.server.operation.engine;

/** What a failed step does to the rest of its operation. */
public enum FailureStrategy {
    /** Stop at the first failure: steps not started end CANCEL. */
    BLOCK,
    /** Carry on with the remaining steps; the operation still ends FAILED. */
    CONTINUE
}
