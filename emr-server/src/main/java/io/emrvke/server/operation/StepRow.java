package io.emrvke.server.operation;

/**
 * One planned step of an operation: an action on one instance (or on the cluster, where the
 * application/component/release are null). {@code stepIndex} orders steps; steps of one
 * {@code batchIndex} run together.
 */
public record StepRow(String operationId, int stepIndex, String stepId, int batchIndex, String applicationName,
                      String componentName, String releaseName, String action, StepState state, Long startTime,
                      Long endTime, String message, String restartToken, int attempt) {

    /** A step not started yet. */
    public static StepRow planned(String operationId, int stepIndex, int batchIndex, String applicationName,
                                  String componentName, String releaseName, String action) {
        return new StepRow(operationId, stepIndex, "step-" + stepIndex, batchIndex, applicationName, componentName,
                releaseName, action, StepState.ACCEPT, null, null, null, null, 0);
    }
}
