package io.emrvke.server.application;

import io.emrvke.server.catalog.Release;
import java.util.List;

/**
 * A CreateVirtualCluster request, validated: the new cluster's id (also its namespace), name, release,
 * project, region, Kubernetes target and node pools, and the applications to deploy in catalog order.
 */
public record CreateClusterCommand(Requester requester, String clusterId, String clusterName, Release release,
                                   String projectName, String region, String vkeClusterId, List<String> nodePoolIds,
                                   List<RequestedApplication> applications) {
    public CreateClusterCommand {
        nodePoolIds = List.copyOf(nodePoolIds);
        applications = List.copyOf(applications);
    }
}
