package io.emrvke.server.operation.engine;

import java.util.Objects;

/**
 * One step a service plans: an action (the key of a registered {@link StepExecutor}) on one
 * instance, or on the cluster when application/component/release are null. Steps with the same
 * {@code batchIndex} run together; batches run in ascending order.
 */
public record PlannedStep(int batchIndex, String applicationName, String componentName, String releaseName,
                          String action) {

    public PlannedStep {
        Objects.requireNonNull(action, "action");
        if (batchIndex < 0) {
            throw new IllegalArgumentException("batchIndex must be >= 0");
        }
    }

    /** A step on the cluster as a whole (e.g. create the namespace). */
    public static PlannedStep onCluster(int batchIndex, String action) {
        return new PlannedStep(batchIndex, null, null, null, action);
    }
}
