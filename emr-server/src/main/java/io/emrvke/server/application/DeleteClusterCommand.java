package io.emrvke.server.application;

import io.emrvke.server.cluster.ClusterRow;

/** A DeleteVirtualCluster request, validated: the caller's cluster, RUNNING or INIT_FAILED when asked. */
public record DeleteClusterCommand(Requester requester, ClusterRow cluster) {
}
