package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Caller;
import io.emrvke.server.application.Deployments;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.application.LifecycleHooks;
import io.emrvke.server.application.LifecycleSteps;
import io.emrvke.server.application.RequestedApplication;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.store.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * CreateVirtualCluster (docs/api.md#createvirtualcluster) and DeleteVirtualCluster
 * (docs/api.md#deletevirtualcluster): validated, then submitted as operations.
 */
public final class ClusterLifecycleActions {
    public static final int MAX_NAME_LENGTH = 128;
    public static final String DEFAULT_PROJECT = "default";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[\\p{L}\\p{Nd}_.\\-]+");
    /** Pods are pinned with one node affinity expression listing every pool: keep it small. */
    public static final int MAX_NODE_POOLS = 20;
    /** A Kubernetes label value: what a node pool id is matched against on the nodes. */
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final Deployments deployments;
    private final Catalog catalog;
    private final TargetRegistry targets;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;

    public ClusterLifecycleActions(Jdbi jdbi, Catalog catalog, TargetRegistry targets, ChartCheck chartCheck,
                                   OperationSubmitter submitter) {
        this.clusters = new ClusterRepository(jdbi);
        this.instances = new InstanceRepository(jdbi);
        this.deployments = new Deployments(jdbi);
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
        Caller caller = ctx.caller();
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
        long now = System.currentTimeMillis();
        ClusterRow row = new ClusterRow(clusterId, caller.accountId(), caller.userId(), caller.userName(), name,
                release.version(), project, ctx.region(), null, vkeClusterId, nodePools, clusterId, ClusterState.INIT,
                null, now, null, now, null);
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(PlannedStep.onCluster(0, LifecycleSteps.CREATE_NAMESPACE));
        steps.addAll(Deployments.deploySteps(Deployments.instancesOf(clusterId, apps), 1));
        OperationPlan plan = OperationPlan.builder(caller.accountId(), caller.userId(), clusterId,
                        OperationName.CREATE_CLUSTER)
                .operator(caller.userName())
                .content(ApplicationRequests.maskedContent(p.json()))
                .steps(steps)
                .clientToken(token.orElse(null))
                .build();
        return submitter.submit(plan, (h, operationId) -> {
            clusters.insert(h, row);
            deployments.write(h, clusterId, apps, operationId, now);
        });
    }

    Submission delete(ActionContext ctx, Optional<ClientToken> token) {
        Caller caller = ctx.caller();
        Params p = ctx.params();
        String clusterId = p.requiredString("ClusterId");
        ClusterRow cluster = new OwnedClusters(clusters).get(caller.accountId(), clusterId);
        requireDeletable(cluster);
        List<InstanceRow> all = instances.list(clusterId);
        List<PlannedStep> steps = new ArrayList<>(catalog.release(cluster.releaseVersion())
                .map(r -> Deployments.undeploySteps(r, all, 0))
                .orElseGet(List::of));
        steps.add(PlannedStep.onCluster(steps.size(), LifecycleSteps.DELETE_NAMESPACE));
        OperationPlan plan = OperationPlan.builder(caller.accountId(), caller.userId(), clusterId,
                        OperationName.DELETE_CLUSTER)
                .operator(caller.userName())
                .content(ApplicationRequests.maskedContent(p.json()))
                .params("{\"" + LifecycleHooks.PREVIOUS_STATE + "\":\"" + cluster.state().wireName() + "\"}")
                .steps(steps)
                .clientToken(token.orElse(null))
                .build();
        return submitter.submit(plan, (h, operationId) -> {
            ClusterRow locked = new OwnedClusters(clusters).get(h, caller.accountId(), clusterId);
            requireDeletable(locked);
            clusters.updateState(h, clusterId, ClusterState.DELETING, null, System.currentTimeMillis());
        });
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
