package io.emrvke.server.cluster;

import java.util.List;

/** A virtual cluster as stored. Times are epoch millis; null where not reached yet. */
public record ClusterRow(String clusterId, long accountId, long userId, String creator, String clusterName,
                         String releaseVersion, String projectName, String region, String vpcId,
                         String vkeClusterId, List<String> nodePoolIds, String namespace, ClusterState state,
                         String stateChangeReason, long createTime, Long readyTime, long updateTime,
                         Long deleteTime) {

    public ClusterRow {
        nodePoolIds = nodePoolIds == null ? List.of() : List.copyOf(nodePoolIds);
    }
}
