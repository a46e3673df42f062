package io.emrvke.server.application;

import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.cluster.ClusterState;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.operation.engine.Submission;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Plans and submits the lifecycle operations from their typed commands: create and delete a cluster,
 * deploy and undeploy applications. Each is one operation whose rows (cluster, applications,
 * instances, states) are written in the submit's transaction, under the cluster's lock.
 */
public final class LifecycleOperations {
    /**
     * What a request must still satisfy when its operation is stored: run in the submit's transaction
     * with the cluster's row locked, after the request-time checks, and throws to refuse the request
     * (another request may have changed the cluster in between).
     */
    @FunctionalInterface
    public interface LockedCheck {
        void check(Handle h);
    }

    private final ClusterRepository clusters;
    private final ApplicationRepository applications;
    private final InstanceRepository instances;
    private final Deployments deployments;
    private final Catalog catalog;
    private final OperationSubmitter submitter;

    public LifecycleOperations(Jdbi jdbi, Catalog catalog, OperationSubmitter submitter) {
        this.clusters = new ClusterRepository(jdbi);
        this.applications = new ApplicationRepository(jdbi);
        this.instances = new InstanceRepository(jdbi);
        this.deployments = new Deployments(jdbi);
        this.catalog = catalog;
        this.submitter = submitter;
    }

    /** Creates the namespace, then deploys each instance in catalog order, one batch each. */
    public Submission createCluster(CreateClusterCommand cmd) {
        long now = System.currentTimeMillis();
        ClusterRow row = new ClusterRow(cmd.clusterId(), cmd.requester().caller().accountId(),
                cmd.requester().caller().userId(), cmd.requester().caller().userName(), cmd.clusterName(),
                cmd.release().version(), cmd.projectName(), cmd.region(), null, cmd.vkeClusterId(), cmd.nodePoolIds(),
                cmd.clusterId(), ClusterState.INIT, null, now, null, now, null);
        List<PlannedStep> steps = new ArrayList<>();
        steps.add(PlannedStep.onCluster(0, LifecycleSteps.CREATE_NAMESPACE));
        steps.addAll(Deployments.deploySteps(Deployments.instancesOf(cmd.clusterId(), cmd.applications()), 1));
        OperationPlan plan = cmd.requester().plan(cmd.clusterId(), OperationName.CREATE_CLUSTER).steps(steps).build();
        return submitter.submit(plan, (h, operationId) -> {
            clusters.insert(h, row);
            deployments.write(h, cmd.clusterId(), cmd.applications(), operationId, now);
        });
    }

    /** Undeploys every instance in reverse catalog order, then deletes the namespace; the cluster is DELETING. */
    public Submission deleteCluster(DeleteClusterCommand cmd, LockedCheck stillDeletable) {
        ClusterRow cluster = cmd.cluster();
        List<InstanceRow> all = instances.list(cluster.clusterId());
        List<PlannedStep> steps = new ArrayList<>(catalog.release(cluster.releaseVersion())
                .map(r -> Deployments.undeploySteps(r, all, 0))
                .orElseGet(List::of));
        steps.add(PlannedStep.onCluster(steps.size(), LifecycleSteps.DELETE_NAMESPACE));
        OperationPlan plan = cmd.requester().plan(cluster.clusterId(), OperationName.DELETE_CLUSTER)
                .params("{\"" + LifecycleHooks.PREVIOUS_STATE + "\":\"" + cluster.state().wireName() + "\"}")
                .steps(steps)
                .build();
        return submitter.submit(plan, (h, operationId) -> {
            stillDeletable.check(h);
            clusters.updateState(h, cluster.clusterId(), ClusterState.DELETING, null, System.currentTimeMillis());
        });
    }

    /** One deploy step per new instance, in catalog order; the applications are INSTALLING. */
    public Submission deploy(DeployCommand cmd, LockedCheck stillDeployable) {
        String clusterId = cmd.cluster().clusterId();
        OperationPlan plan = cmd.requester().plan(clusterId, OperationName.DEPLOY_APPLICATIONS)
                .steps(Deployments.deploySteps(Deployments.instancesOf(clusterId, cmd.applications()), 0))
                .build();
        return submitter.submit(plan, (h, operationId) -> {
            stillDeployable.check(h);
            deployments.write(h, clusterId, cmd.applications(), operationId, System.currentTimeMillis());
        });
    }

    /** One undeploy step per instance of the applications, in reverse catalog order; they are UNINSTALLING. */
    public Submission undeploy(UndeployCommand cmd, LockedCheck stillRemovable) {
        String clusterId = cmd.cluster().clusterId();
        List<InstanceRow> toRemove = instances.list(clusterId).stream()
                .filter(i -> cmd.applicationNames().contains(i.applicationName())).toList();
        OperationPlan plan = cmd.requester().plan(clusterId, OperationName.UNDEPLOY_APPLICATIONS)
                .steps(Deployments.undeploySteps(cmd.release(), toRemove, 0))
                .build();
        return submitter.submit(plan, (h, operationId) -> {
            stillRemovable.check(h);
            applications.updateState(h, clusterId, cmd.applicationNames(), ApplicationState.UNINSTALLING, null,
                    System.currentTimeMillis());
        });
    }
}
