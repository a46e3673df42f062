package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.operation.engine.PlannedStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What deploying and undeploying applications means in rows and steps: one default instance per
 * component (named {@code <chart>-<cluster suffix>}), config version 1 per instance (catalog
 * defaults of the files it mounts, overridden by the request's items), one deploy step per
 * instance in catalog order; undeploy in reverse catalog order.
 */
public final class Deployments {
    private final ApplicationRepository applications;
    private final InstanceRepository instances;
    private final ConfigRepository configs;

    public Deployments(Jdbi jdbi) {
        this.applications = new ApplicationRepository(jdbi);
        this.instances = new InstanceRepository(jdbi);
        this.configs = new ConfigRepository(jdbi);
    }

    /** The short suffix of instance names: the first 4 characters of the id's random part. */
    public static String clusterSuffix(String clusterId) {
        int dash = clusterId.indexOf('-');
        return clusterId.substring(dash + 1, Math.min(clusterId.length(), dash + 5));
    }

    /** The instances the requested applications get, in catalog order (apps, then their components). */
    public static List<PlannedInstance> instancesOf(String clusterId, List<RequestedApplication> requested) {
        String suffix = clusterSuffix(clusterId);
        List<PlannedInstance> out = new ArrayList<>();
        for (RequestedApplication app : requested) {
            for (ComponentSpec component : app.spec().components()) {
                out.add(new PlannedInstance(app.spec(), component, component.defaultInstanceName(suffix)));
            }
        }
        return out;
    }

    /** One deploy step per instance, each its own batch starting at {@code firstBatch}, in the given order. */
    public static List<PlannedStep> deploySteps(List<PlannedInstance> planned, int firstBatch) {
        List<PlannedStep> steps = new ArrayList<>();
        int batch = firstBatch;
        for (PlannedInstance p : planned) {
            steps.add(new PlannedStep(batch++, p.application().name(), p.component().name(), p.releaseName(),
                    LifecycleSteps.DEPLOY));
        }
        return steps;
    }

    /** One undeploy step per instance, in reverse catalog order, each its own batch from {@code firstBatch}. */
    public static List<PlannedStep> undeploySteps(Release release, List<InstanceRow> toRemove, int firstBatch) {
        List<InstanceRow> ordered = new ArrayList<>(toRemove);
        ordered.sort(catalogOrder(release).reversed());
        List<PlannedStep> steps = new ArrayList<>();
        int batch = firstBatch;
        for (InstanceRow i : ordered) {
            steps.add(new PlannedStep(batch++, i.applicationName(), i.componentName(), i.releaseName(),
                    LifecycleSteps.UNDEPLOY));
        }
        return steps;
    }

    /** Instances by application in catalog order, then component in catalog order, then release name. */
    public static Comparator<InstanceRow> catalogOrder(Release release) {
        List<String> apps = release.applicationNames();
        return Comparator.comparingInt((InstanceRow i) -> apps.indexOf(i.applicationName()))
                .thenComparingInt(i -> release.application(i.applicationName())
                        .map(a -> a.componentNames().indexOf(i.componentName())).orElse(-1))
                .thenComparing(InstanceRow::releaseName);
    }

    /**
     * Writes, in the caller's transaction, the application rows (INSTALLING), the instances and
     * their config version 1 (history rows name {@code operationId}).
     */
    public void write(Handle h, String clusterId, List<RequestedApplication> requested, String operationId, long now) {
        List<PlannedInstance> planned = instancesOf(clusterId, requested);
        for (RequestedApplication app : requested) {
            applications.insert(h, ApplicationRow.installing(clusterId, app.name(), app.spec().version(), now));
            for (PlannedInstance p : planned) {
                if (p.application() == app.spec()) {
                    writeInstance(h, clusterId, app, p, operationId, now);
                }
            }
        }
    }

    private void writeInstance(Handle h, String clusterId, RequestedApplication app, PlannedInstance p,
                               String operationId, long now) {
        ApplicationSpec spec = app.spec();
        ComponentSpec component = p.component();
        instances.insert(h, InstanceRow.created(clusterId, p.releaseName(), spec.name(), component.name(),
                component.workloadKind().wireName(), now));
        List<ConfigItem> overrides = app.items().stream().filter(i -> component.mounts(i.fileName())).toList();
        configs.writeFirstVersion(h, clusterId, spec.name(), p.releaseName(), ConfigItem.defaultsOf(spec, component),
                overrides, operationId, now);
    }

    /** Removes the applications' rows, instances and config items (config history stays). */
    public void remove(Handle h, String clusterId, List<String> applicationNames) {
        for (String name : applicationNames) {
            for (InstanceRow i : instances.listByApplication(h, clusterId, name)) {
                configs.deleteItems(h, clusterId, i.releaseName());
            }
            instances.deleteByApplication(h, clusterId, name);
            applications.delete(h, clusterId, name);
        }
    }

    /** Removes every application, instance and config item of the cluster (config history stays). */
    public void removeAll(Handle h, String clusterId) {
        configs.deleteAllItems(h, clusterId);
        instances.deleteAll(h, clusterId);
        applications.deleteAll(h, clusterId);
    }
}
