package io.emrvke.server.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.OperationState;
import io.emrvke.server.operation.engine.OperationEngine;
import io.emrvke.server.operation.engine.StepContext;
import io.emrvke.server.operation.engine.StepResult;
import io.emrvke.server.runtime.ClusterRuntime;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.InstanceStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The steps and end-of-operation hooks of CreateComponentInstance and DeleteComponentInstance.
 *
 * <p>Create: {@link LifecycleSteps#DEPLOY} applies the instance's release (rendered from its stored
 * config version) and waits until RUNNING. On failure or cancel the instance row stays: its objects may exist in Kubernetes,
 * its live state (FAILED, STARTING...) shows in ListComponentInstances, and DeleteComponentInstance
 * removes both. Delete: delete the release's objects and wait until no pod is left; on success the
 * hook removes the instance row and its config items (the history stays).
 */
public final class InstanceStepExecutors {
    /** A create's step is DeployApplications' own: render the stored config version, apply, wait RUNNING. */
    public static final String CREATE_INSTANCE = LifecycleSteps.DEPLOY;
    public static final String DELETE_INSTANCE = "deleteInstance";
    private static final long POLL_MILLIS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StepTargets stepTargets;
    private final InstanceRepository instances;
    private final ConfigRepository configs;

    public InstanceStepExecutors(Jdbi jdbi, StepTargets stepTargets) {
        this.stepTargets = stepTargets;
        this.instances = new InstanceRepository(jdbi);
        this.configs = new ConfigRepository(jdbi);
    }

    /** Registers the delete step and both lifecycle hooks (the create step is {@link LifecycleSteps}'s). */
    public OperationEngine.Builder register(OperationEngine.Builder engine) {
        return engine.executor(DELETE_INSTANCE, this::delete)
                .lifecycle(OperationName.CREATE_COMPONENT_INSTANCE, this::createFinished)
                .lifecycle(OperationName.DELETE_COMPONENT_INSTANCE, this::deleteFinished);
    }

    StepResult delete(StepContext ctx) throws Exception {
        Target t = target(ctx);
        int deleted = t.runtime().deleteRelease(t.ref());
        InstanceStatus status = await(ctx, t, "no pods", s -> s.pods() == 0);
        if (status == null) {
            return StepResult.cancelled("cancelled while the pods of " + t.releaseName() + " were going");
        }
        return StepResult.success(t.releaseName() + " deleted (" + deleted + " objects); no pods left");
    }

    /** The instance stays whatever happened (see the class comment); only its update time moves. */
    void createFinished(Handle h, OperationRow operation, OperationState finalState, String reason) {
        String releaseName = releaseNameOf(operation);
        h.createUpdate("UPDATE component_instances SET update_time = :now WHERE cluster_id = :clusterId"
                        + " AND release_name = :releaseName")
                .bind("now", System.currentTimeMillis()).bind("clusterId", operation.clusterId())
                .bind("releaseName", releaseName).execute();
    }

    /** Success: the row and its config items go (history stays). Otherwise the row stays, for a retry. */
    void deleteFinished(Handle h, OperationRow operation, OperationState finalState, String reason) {
        if (finalState != OperationState.SUCCESS) {
            return;
        }
        String releaseName = releaseNameOf(operation);
        configs.deleteItems(h, operation.clusterId(), releaseName);
        instances.delete(h, operation.clusterId(), releaseName);
    }

    /**
     * Waits for the condition, checking for cancel between polls; null when cancelled.
     *
     * @throws io.emrvke.server.runtime.RuntimeFailure TIMEOUT with the pods' reasons, when the deadline passes
     */
    private static InstanceStatus await(StepContext ctx, Target t, String goal, Predicate<InstanceStatus> condition)
            throws Exception {
        // less than the whole step: the runtime's timeout names the pods' state, the engine's would not
        CompletableFuture<InstanceStatus> done = t.runtime().await(t.ref(), goal, condition, ctx.waitTimeout());
        while (true) {
            if (ctx.cancelRequested()) {
                done.cancel(false);
                return null;
            }
            try {
                return done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not yet: look at cancel again
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private Target target(StepContext ctx) {
        OperationRow op = ctx.operation();
        ClusterRow cluster = stepTargets.cluster(ctx);
        ClusterRuntime runtime = stepTargets.runtime(cluster);
        String releaseName = ctx.step().releaseName() != null ? ctx.step().releaseName() : releaseNameOf(op);
        return new Target(cluster, runtime, releaseName);
    }

    private static String releaseNameOf(OperationRow operation) {
        try {
            JsonNode params = JSON.readTree(operation.params());
            return params.path("ReleaseName").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable params of operation " + operation.operationId(), e);
        }
    }

    private record Target(ClusterRow cluster, ClusterRuntime runtime, String releaseName) {
        InstanceRef ref() {
            return new InstanceRef(cluster.namespace(), releaseName);
        }
    }
}
