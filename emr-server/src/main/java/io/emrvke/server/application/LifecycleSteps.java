package io.emrvke.server.application;

import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.operation.engine.OperationEngine;
import io.emrvke.server.operation.engine.StepContext;
import io.emrvke.server.operation.engine.StepResult;
import io.emrvke.server.runtime.ClusterRuntime;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.InstanceStatus;
import io.emrvke.server.runtime.Labels;
import io.emrvke.server.runtime.ReleaseSpec;
import io.emrvke.server.runtime.RuntimeFailure;
import io.emrvke.server.runtime.TargetRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;

/**
 * The step executors of the cluster and application lifecycle, by action key. Each is idempotent:
 * creating a namespace that exists, applying an unchanged release or deleting what is gone again
 * changes nothing, so a step re-run after a crash is safe.
 */
public final class LifecycleSteps {
    /** Creates the cluster's namespace (labelled as ours) if missing. */
    public static final String CREATE_NAMESPACE = "createNamespace";
    /** Applies the instance's rendered release, then waits until it is RUNNING within the step timeout. */
    public static final String DEPLOY = "deploy";
    /** Deletes every object of the instance's release. */
    public static final String UNDEPLOY = "undeploy";
    /** Deletes everything labelled ours in the namespace, then the namespace. */
    public static final String DELETE_NAMESPACE = "deleteNamespace";

    private static final long POLL_MILLIS = 100;

    private final StepTargets stepTargets;
    private final ConfigRepository configs;

    public LifecycleSteps(Jdbi jdbi, Catalog catalog, TargetRegistry targets, String nodePoolLabel) {
        this.stepTargets = new StepTargets(jdbi, catalog, targets, nodePoolLabel);
        this.configs = new ConfigRepository(jdbi);
    }

    /** Registers the four executors on an engine builder. */
    public OperationEngine.Builder register(OperationEngine.Builder builder) {
        return builder.executor(CREATE_NAMESPACE, this::createNamespace)
                .executor(DEPLOY, this::deploy)
                .executor(UNDEPLOY, this::undeploy)
                .executor(DELETE_NAMESPACE, this::deleteNamespace);
    }

    StepResult createNamespace(StepContext ctx) {
        ClusterRow cluster = cluster(ctx);
        runtime(cluster).ensureNamespace(cluster.namespace(), Map.of(Labels.CLUSTER_ID, cluster.clusterId()));
        return StepResult.success("namespace " + cluster.namespace() + " exists");
    }

    StepResult deploy(StepContext ctx) throws InterruptedException {
        StepTargets.Instance t = stepTargets.instance(ctx, ctx.step().releaseName());
        String releaseName = t.releaseName();
        ReleaseSpec spec = ReleaseSpecs.forInstance(t.cluster().clusterId(), t.cluster().namespace(), releaseName,
                t.app(), t.component(), ConfigRepository.byFile(configs.current(t.cluster().clusterId(), releaseName)),
                t.placement());
        if (ctx.cancelRequested()) {
            return StepResult.cancelled("cancelled before applying " + releaseName);
        }
        ClusterRuntime runtime = t.runtime();
        runtime.apply(spec);
        return awaitRunning(ctx, runtime, spec.ref());
    }

    StepResult undeploy(StepContext ctx) {
        ClusterRow cluster = cluster(ctx);
        int deleted = runtime(cluster).deleteRelease(new InstanceRef(cluster.namespace(), ctx.step().releaseName()));
        return StepResult.success(deleted == 0 ? "nothing left to delete" : "deleted " + deleted + " object(s)");
    }

    StepResult deleteNamespace(StepContext ctx) {
        ClusterRow cluster = cluster(ctx);
        runtime(cluster).deleteNamespace(cluster.namespace());
        return StepResult.success("namespace " + cluster.namespace() + " deleted");
    }

    /** Waits for RUNNING, polling so that a cancel is noticed; fails with the pods' reasons on timeout. */
    private static StepResult awaitRunning(StepContext ctx, ClusterRuntime runtime, InstanceRef ref)
            throws InterruptedException {
        CompletableFuture<InstanceStatus> running = runtime.await(ref, "be ready",
                s -> s.state() == InstanceState.RUNNING, ctx.waitTimeout());
        while (true) {
            if (ctx.cancelRequested()) {
                running.cancel(true);
                return StepResult.cancelled("cancelled while waiting for " + ref.releaseName() + " to be ready");
            }
            try {
                InstanceStatus s = running.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return StepResult.success(ref.releaseName() + " running: " + s.readyReplicas() + "/" + s.replicas()
                        + " pods ready");
            } catch (TimeoutException e) {
                // not yet: check for a cancel and wait on
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeFailure f) {
                    throw f;
                }
                throw new IllegalStateException("waiting for " + ref + " failed: " + e.getCause().getMessage(), e);
            }
        }
    }

    private ClusterRow cluster(StepContext ctx) {
        return stepTargets.cluster(ctx);
    }

    private ClusterRuntime runtime(ClusterRow cluster) {
        return stepTargets.runtime(cluster);
    }
}
