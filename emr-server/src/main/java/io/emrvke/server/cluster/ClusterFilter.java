package io.emrvke.server.cluster;

import java.util.List;

/**
 * The filters of ListVirtualClusters; empty lists and nulls mean "any". Without {@code states},
 * DELETED clusters are left out.
 */
public record ClusterFilter(List<String> clusterIds, String nameContains, List<ClusterState> states,
                            String projectName) {

    public ClusterFilter {
        clusterIds = clusterIds == null ? List.of() : List.copyOf(clusterIds);
        states = states == null ? List.of() : List.copyOf(states);
    }

    public static ClusterFilter none() {
        return new ClusterFilter(List.of(), null, List.of(), null);
    }
}
