package io.emrvke.server.logging;

/**
 * Names of the log context (SLF4J MDC) keys the server sets, so that every log line written while
 * handling a request or running an operation says which one (logback.xml prints them).
 */
public final class LogContext {
    /** Set by the gateway for the duration of an API request. */
    public static final String REQUEST_ID = "requestId";
    /** Set by the engine while it runs an operation, and on its step threads. */
    public static final String OPERATION_ID = "operationId";
    /** Set on a step's thread while the step runs. */
    public static final String STEP_ID = "stepId";

    private LogContext() {
    }
}
