package io.emrvke.server.api;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Ids;
import org.jdbi.v3.core.Handle;

/**
 * The cluster a request names, as every handler finds it: the caller's, else NotFound.Cluster (a
 * malformed, unknown or another account's id all look the same); and the one check of the state
 * a change needs.
 */
final class OwnedClusters {
    private final ClusterRepository clusters;

    OwnedClusters(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    ClusterRow get(long accountId, String clusterId) {
        if (!Ids.isClusterId(clusterId)) {
            throw notFound(clusterId);
        }
        return clusters.get(accountId, clusterId).orElseThrow(() -> notFound(clusterId));
    }

    /** Read again in {@code h}'s transaction (the submit's, which holds the cluster's lock). */
    ClusterRow get(Handle h, long accountId, String clusterId) {
        return clusters.get(h, accountId, clusterId).orElseThrow(() -> notFound(clusterId));
    }

    static ApiException notFound(String clusterId) {
        return ErrorCode.NOT_FOUND_CLUSTER.exception("The cluster '" + Params.clip(clusterId) + "' does not exist.");
    }

    /** ClusterStateDenied naming the cluster, its state and the action, unless it is RUNNING. */
    static void requireRunning(ClusterRow cluster, String action) {
        if (cluster.state() != ClusterState.RUNNING) {
            throw ErrorCode.CLUSTER_STATE_DENIED.exception("Cluster " + cluster.clusterId() + " is "
                    + cluster.state().wireName() + "; " + action + " needs it RUNNING.");
        }
    }
}
