package io.emrvke.server.application;

import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRow;
import java.util.List;

/**
 * An UndeployApplications request, validated: the caller's cluster, its release and the canonical
 * names of the deployed applications to remove (their instances are undeployed in reverse catalog order).
 */
public record UndeployCommand(Requester requester, ClusterRow cluster, Release release,
                              List<String> applicationNames) {
    public UndeployCommand {
        applicationNames = List.copyOf(applicationNames);
    }
}
