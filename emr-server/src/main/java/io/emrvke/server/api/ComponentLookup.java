package io.emrvke.server.api;

import io.emrvke.api.ApiException;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ApplicationRepository;
import io.emrvke.server.application.ApplicationRow;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Resolves what the instance and config actions name — cluster, deployed application, component,
 * instance — each failing with its own NotFound code and a message naming the request field.
 */
public final class ComponentLookup {
    private final ClusterRepository clusters;
    private final ApplicationRepository applications;
    private final InstanceRepository instances;
    private final Catalog catalog;

    public ComponentLookup(ClusterRepository clusters, ApplicationRepository applications, InstanceRepository instances,
                    Catalog catalog) {
        this.clusters = clusters;
        this.applications = applications;
        this.instances = instances;
        this.catalog = catalog;
    }

    /** A deployed application with its catalog description. */
    record Deployed(ApplicationRow row, ApplicationSpec spec) {
    }

    /** The caller's cluster (any state), or NotFound.Cluster. */
    ClusterRow cluster(long accountId, String clusterId) {
        return new OwnedClusters(clusters).get(accountId, clusterId);
    }

    /** The cluster's release in the catalog (a cluster is only ever created on a release the catalog has). */
    Release release(ClusterRow cluster) {
        return catalog.release(cluster.releaseVersion()).orElseThrow(() -> new IllegalStateException(
                "cluster " + cluster.clusterId() + " runs release " + cluster.releaseVersion()
                        + " which the catalog no longer has"));
    }

    /** Deployed applications of the cluster, in catalog order. */
    List<Deployed> deployed(ClusterRow cluster) {
        Release release = release(cluster);
        List<ApplicationRow> rows = applications.list(cluster.clusterId());
        List<Deployed> out = new ArrayList<>();
        for (ApplicationSpec spec : release.applications()) {
            rows.stream().filter(r -> r.applicationName().equalsIgnoreCase(spec.name())).findFirst()
                    .ifPresent(r -> out.add(new Deployed(r, spec)));
        }
        return out;
    }

    /** The named application, deployed in the cluster, or NotFound.Application naming {@code field}. */
    Deployed application(ClusterRow cluster, String field, String name) {
        return application(cluster, deployed(cluster), field, name);
    }

    Deployed application(ClusterRow cluster, List<Deployed> deployed, String field, String name) {
        if (name == null || name.isBlank()) {
            throw Params.invalidAt(field, "must not be empty");
        }
        return deployed.stream().filter(d -> d.spec().name().equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> ErrorCode.NOT_FOUND_APPLICATION.exception(field + " '" + Params.clip(name)
                        + "' is not deployed in cluster " + cluster.clusterId() + "; deployed: "
                        + names(deployed) + "."));
    }

    /** The named component of the application, or NotFound.Component naming {@code field}. */
    static ComponentSpec component(ApplicationSpec app, String field, String name) {
        if (name == null || name.isBlank()) {
            throw Params.invalidAt(field, "must not be empty");
        }
        return app.component(name).orElseThrow(() -> ErrorCode.NOT_FOUND_COMPONENT.exception(field + " '"
                + Params.clip(name) + "' is not a component of " + app.name() + "; components: "
                + String.join(", ", app.componentNames()) + "."));
    }

    /** The cluster's instance of that release name belonging to the component, or NotFound.ComponentInstance. */
    InstanceRow instance(ClusterRow cluster, ApplicationSpec app, ComponentSpec component, String field,
                         String releaseName) {
        Optional<InstanceRow> row = instances.find(cluster.clusterId(), releaseName)
                .filter(i -> i.applicationName().equalsIgnoreCase(app.name())
                        && i.componentName().equalsIgnoreCase(component.name()));
        return row.orElseThrow(() -> instanceNotFound(cluster, field, releaseName,
                app.name() + " " + component.name()));
    }

    /** The cluster's instance of that release name belonging to the application, or NotFound.ComponentInstance. */
    InstanceRow instance(ClusterRow cluster, ApplicationSpec app, String field, String releaseName) {
        return instances.find(cluster.clusterId(), releaseName)
                .filter(i -> i.applicationName().equalsIgnoreCase(app.name()))
                .orElseThrow(() -> instanceNotFound(cluster, field, releaseName, app.name()));
    }

    static ApiException instanceNotFound(ClusterRow cluster, String field, String releaseName, String ofWhat) {
        return ErrorCode.NOT_FOUND_COMPONENT_INSTANCE.exception(field + " '" + Params.clip(releaseName)
                + "' is not an instance of " + ofWhat + " in cluster " + cluster.clusterId()
                + " (ListComponentInstances lists them).");
    }

    /** The cluster row locked for the rest of {@code h}'s transaction. */
    ClusterRow lock(Handle h, ClusterRow cluster) {
        return clusters.lock(h, cluster.accountId(), cluster.clusterId())
                .orElseThrow(() -> OwnedClusters.notFound(cluster.clusterId()));
    }

    private static String names(List<Deployed> deployed) {
        return deployed.isEmpty() ? "none" : String.join(", ", deployed.stream().map(d -> d.spec().name()).toList());
    }
}
