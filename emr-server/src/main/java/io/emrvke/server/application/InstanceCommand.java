package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.cluster.ClusterRow;
import java.util.List;

/**
 * A CreateComponentInstance or DeleteComponentInstance request, validated: the caller's cluster, the
 * deployed application and its component, the instance's release name and, on create, the config
 * items it starts with over the catalog defaults (none on delete).
 */
public record InstanceCommand(Requester requester, ClusterRow cluster, ApplicationSpec app, ComponentSpec component,
                              String releaseName, List<ConfigItem> items) {
    public InstanceCommand {
        items = List.copyOf(items);
    }
}
