package io.emrvke.server.api;

import io.emrvke.server.cluster.ClusterRow;

/** The wire VirtualCluster (GetVirtualCluster's Result, ListVirtualClusters' items). */
public record VirtualCluster(String clusterId, String clusterName, String releaseVersion, String clusterState,
                             String stateChangeReason, String region, String vpcId, String projectName,
                             Long createTime, Long readyTime, Long updateTime, Long deleteTime, Long accountId,
                             Long userId, String creator, String vkeClusterId, String productName) {

    public static final String PRODUCT_NAME = "E-MapReduce-VKE";

    public static VirtualCluster of(ClusterRow c) {
        return new VirtualCluster(c.clusterId(), c.clusterName(), c.releaseVersion(), c.state().wireName(),
                c.stateChangeReason(), c.region(), c.vpcId(), c.projectName(), c.createTime(), c.readyTime(),
                c.updateTime(), c.deleteTime(), c.accountId(), c.userId(), c.creator(), c.vkeClusterId(),
                PRODUCT_NAME);
    }
}
