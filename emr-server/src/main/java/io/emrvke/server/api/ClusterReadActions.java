package io.emrvke.server.api;

import io.emrvke.server.cluster.ClusterFilter;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Page;
import java.util.List;

/**
 * GetVirtualCluster (docs/api.md#getvirtualcluster) and ListVirtualClusters
 * (docs/api.md#listvirtualclusters), read from the store.
 */
public final class ClusterReadActions {
    private final ClusterRepository clusters;

    public ClusterReadActions(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.read("GetVirtualCluster", this::get),
                Actions.read("ListVirtualClusters", this::list));
    }

    VirtualCluster get(ActionContext ctx) {
        return VirtualCluster.of(new OwnedClusters(clusters).get(ctx.caller().accountId(),
                ctx.params().requiredString("ClusterId")));
    }

    Page<VirtualCluster> list(ActionContext ctx) {
        Params p = ctx.params();
        ClusterFilter filter = new ClusterFilter(
                p.stringList("ClusterIds"),
                p.optionalString("ClusterName").orElse(null),
                p.choiceList("ClusterStates", ClusterState.wireNames()).stream().map(ClusterState::fromWire).toList(),
                p.optionalString("ProjectName").orElse(null));
        Page.Request paging = Paging.of(p);
        Page<ClusterRow> page = clusters.list(ctx.caller().accountId(), filter, paging);
        return paging.page(page.items().stream().map(VirtualCluster::of).toList(), page.totalCount());
    }
}
