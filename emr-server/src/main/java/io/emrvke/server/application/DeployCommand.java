package io.emrvke.server.application;

import io.emrvke.server.cluster.ClusterRow;
import java.util.List;

/** A DeployApplications request, validated: the caller's cluster and the applications in catalog order. */
public record DeployCommand(Requester requester, ClusterRow cluster, List<RequestedApplication> applications) {
    public DeployCommand {
        applications = List.copyOf(applications);
    }
}
