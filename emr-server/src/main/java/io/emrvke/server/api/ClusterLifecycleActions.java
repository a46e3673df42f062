package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.CreateClusterCommand;
import io.emrvke.server.application.DeleteClusterCommand;
import io.emrvke.server.application.LifecycleOperations;
import io.emrvke.server.application.RequestedApplication;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.store.Ids;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * CreateVirtualCluster (docs/api.md#createvirtualcluster) and DeleteVirtualCluster
 * (docs/api.md#deletevirtualcluster): validated into typed commands that {@link LifecycleOperations}
 * plans and submits.
 */
public final class ClusterLifecycleActions {
    public static final int MAX_NAME_LENGTH = 128;
    public static final String DEFAULT_PROJECT = "default";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[\\p{L}\\p{Nd}_.\\-]+");
    /** Pods are pinned with one node affinity expression listing every pool: keep it small. */
    public static final int MAX_NODE_POOLS = 20;
    /** A Kubernetes label value: what a node pool id is matched against on the nodes. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private final OwnedClusters owned;
    private final LifecycleOperations lifecycle;
    private final Catalog catalog;
    private final TargetRegistry targets;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;

    public ClusterLifecycleActions(Jdbi jdbi, Catalog catalog, TargetRegistry targets, ChartCheck chartCheck,
                                   OperationSubmitter submitter) {
        this.owned = new OwnedClusters(new ClusterRepository(jdbi));
        this.lifecycle = new LifecycleOperations(jdbi, catalog, submitter);
        this.catalog = catalog;
        this.targets = targets;
        this.chartCheck = chartCheck;
        this.submitter = submitter;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.submitting("CreateVirtualCluster", submitter, this::create),
                Actions.submitting("DeleteVirtualCluster", submitter, this::delete));
    }

    Submission create(ActionContext ctx, Optional<ClientToken> token) {
        Params p = ctx.params();
        String name = clusterName(p);
        Release release = catalog.requireRelease(p.name("ReleaseVersion"), p.requiredString("ReleaseVersion"));
        Params vke = p.requiredObject("VkeCluster");
        String vkeClusterId = vkeClusterId(vke);
        List<String> nodePools = nodePoolIds(vke);
        List<RequestedApplication> apps = ApplicationRequests.read(p.objectList(ApplicationRequests.FIELD), release,
                List.of());
        String project = p.optionalText("ProjectName", MAX_NAME_LENGTH).orElse(DEFAULT_PROJECT);

        String clusterId = Ids.newClusterId();
        // The namespace is the cluster id: unique, and a valid namespace name.
        chartCheck.requireDeployable(clusterId, clusterId, nodePools, apps);
        return lifecycle.createCluster(new CreateClusterCommand(ApplicationRequests.requester(ctx, token), clusterId,
                name, release, project, ctx.region(), vkeClusterId, nodePools, apps));
    }

    Submission delete(ActionContext ctx, Optional<ClientToken> token) {
        long accountId = ctx.caller().accountId();
        String clusterId = ctx.params().requiredString("ClusterId");
        ClusterRow cluster = owned.get(accountId, clusterId);
        requireDeletable(cluster);
        return lifecycle.deleteCluster(new DeleteClusterCommand(ApplicationRequests.requester(ctx, token), cluster),
                h -> requireDeletable(owned.get(h, accountId, clusterId)));
    }

    // --- validation --------------------------------------------------------------------------

    private static String clusterName(Params p) {
        String name = p.requiredString("ClusterName");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw p.invalid("ClusterName", "must be 1 to " + MAX_NAME_LENGTH + " characters, got " + name.length());
        }
        if (!CLUSTER_NAME.matcher(name).matches()) {
            throw p.invalid("ClusterName", "'" + Params.clip(name) + "' may hold only letters (CJK included),"
                    + " digits, '-', '_' and '.'");
        }
        return name;
    }

    private String vkeClusterId(Params vke) {
        String id = vke.requiredString("VkeClusterId");
        if (targets.find(id).isEmpty()) {
            throw ErrorCode.NOT_FOUND_VKE_CLUSTER.exception(vke.name("VkeClusterId") + " '" + Params.clip(id)
                    + "' is not a Kubernetes target of this server; known: " + String.join(", ", targets.names())
                    + ".");
        }
        return id;
    }

    private static List<String> nodePoolIds(Params vke) {
        List<String> pools = vke.stringList("VkeNodePoolIds");
        if (pools.size() > MAX_NODE_POOLS) {
            throw vke.invalid("VkeNodePoolIds", "holds " + pools.size() + " node pools; give at most "
                    + MAX_NODE_POOLS);
        }
        String field = vke.name("VkeNodePoolIds");
        for (int i = 0; i < pools.size(); i++) {
            String pool = pools.get(i);
            if (!LABEL_VALUE.matcher(pool).matches()) {
                throw Params.invalidAt(field + "." + (i + 1), "'" + Params.clip(pool) + "' is not a valid node pool"
                        + " id (1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
            }
            int first = pools.indexOf(pool);
            if (first < i) {
                throw Params.invalidAt(field + "." + (i + 1), "'" + pool + "' repeats " + field + "." + (first + 1));
            }
        }
        return pools;
    }

    private static void requireDeletable(ClusterRow cluster) {
        if (cluster.state() != ClusterState.RUNNING && cluster.state() != ClusterState.INIT_FAILED) {
            throw ErrorCode.CLUSTER_STATE_DENIED.exception("Cluster " + cluster.clusterId() + " is "
                    + cluster.state().wireName() + "; DeleteVirtualCluster needs it RUNNING or INIT_FAILED.");
        }
    }
}
