package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.operation.OperationRow;
import io.emrvke.server.operation.engine.StepContext;
import io.emrvke.server.runtime.ClusterRuntime;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.TargetRegistry;
import org.jdbi.v3.core.Jdbi;

/**
 * What a step acts on, resolved when the step runs: the one place steps look their target up.
 * Only what can change between the request and the step is checked again here, each failing the
 * step with a message: the cluster row still exists, its Kubernetes target is registered on this
 * server (a restart may change the targets), the instance row still exists (another operation may
 * have deleted it), and its application and component are still in the release of the catalog (a
 * restart may bring another --catalog-dir). The request's own checks (names, values, state) are
 * not repeated: the operation holds its targets, so no other change reaches them meanwhile.
 */
public final class StepTargets {
    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final Catalog catalog;
    private final TargetRegistry targets;
    private final String nodePoolLabel;

    public StepTargets(Jdbi jdbi, Catalog catalog, TargetRegistry targets, String nodePoolLabel) {
        this.clusters = new ClusterRepository(jdbi);
        this.instances = new InstanceRepository(jdbi);
        this.catalog = catalog;
        this.targets = targets;
        this.nodePoolLabel = nodePoolLabel;
    }

    /** An instance a step acts on, with its cluster, runtime and catalog description. */
    public record Instance(ClusterRow cluster, ClusterRuntime runtime, InstanceRow row, ApplicationSpec app,
                           ComponentSpec component, NodePlacement placement) {
        public String releaseName() {
            return row.releaseName();
        }

        public InstanceRef ref() {
            return new InstanceRef(cluster.namespace(), row.releaseName());
        }
    }

    /** The operation's cluster. */
    public ClusterRow cluster(StepContext ctx) {
        OperationRow op = ctx.operation();
        return clusters.get(op.accountId(), op.clusterId()).orElseThrow(() ->
                new IllegalStateException("cluster " + op.clusterId() + " no longer exists"));
    }

    /** The runtime of the cluster's Kubernetes target. */
    public ClusterRuntime runtime(ClusterRow cluster) {
        return targets.find(cluster.vkeClusterId()).orElseThrow(() -> new IllegalStateException(
                "Kubernetes target '" + cluster.vkeClusterId() + "' is not registered on this server"));
    }

    /** The instance named {@code releaseName} in the operation's cluster. */
    public Instance instance(StepContext ctx, String releaseName) {
        ClusterRow cluster = cluster(ctx);
        ClusterRuntime runtime = runtime(cluster);
        InstanceRow row = instances.find(cluster.clusterId(), releaseName).orElseThrow(() ->
                new IllegalStateException("instance " + releaseName + " no longer exists in cluster "
                        + cluster.clusterId()));
        Release release = catalog.release(cluster.releaseVersion()).orElseThrow(() ->
                new IllegalStateException("release " + cluster.releaseVersion() + " is no longer in the catalog"));
        ApplicationSpec app = release.application(row.applicationName()).orElseThrow(() ->
                new IllegalStateException("application " + row.applicationName() + " is no longer in the catalog of "
                        + release.version()));
        ComponentSpec component = app.component(row.componentName()).orElseThrow(() -> new IllegalStateException(
                "component " + row.componentName() + " is no longer in the catalog of " + app.name()));
        return new Instance(cluster, runtime, row, app, component, placement(cluster));
    }

    /** Pods are pinned to the cluster's node pools through the configured node label. */
    public NodePlacement placement(ClusterRow cluster) {
        return new NodePlacement(nodePoolLabel, cluster.nodePoolIds());
    }
}
