package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.account.Caller;
import io.emrvke.server.application.ApplicationRepository;
import io.emrvke.server.application.ApplicationRow;
import io.emrvke.server.application.ApplicationState;
import io.emrvke.server.application.DeployCommand;
import io.emrvke.server.application.LifecycleOperations;
import io.emrvke.server.application.RequestedApplication;
import io.emrvke.server.application.UndeployCommand;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRepository;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.store.Page;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * DeployApplications (docs/api.md#deployapplications), UndeployApplications
 * (docs/api.md#undeployapplications) and ListApplications (docs/api.md#listapplications).
 */
public final class ApplicationActions {
    private final OwnedClusters clusters;
    private final ApplicationRepository applications;
    private final LifecycleOperations lifecycle;
    private final Catalog catalog;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;

    public ApplicationActions(Jdbi jdbi, Catalog catalog, ChartCheck chartCheck, OperationSubmitter submitter) {
        this.clusters = new OwnedClusters(new ClusterRepository(jdbi));
        this.applications = new ApplicationRepository(jdbi);
        this.lifecycle = new LifecycleOperations(jdbi, catalog, submitter);
        this.catalog = catalog;
        this.chartCheck = chartCheck;
        this.submitter = submitter;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.submitting("DeployApplications", submitter, this::deploy),
                Actions.submitting("UndeployApplications", submitter, this::undeploy),
                Actions.read("ListApplications", this::list));
    }

    Submission deploy(ActionContext ctx, Optional<ClientToken> token) {
        Caller caller = ctx.caller();
        Params p = ctx.params();
        ClusterRow cluster = requireCluster(caller, p.requiredString("ClusterId"));
        List<Params> elements = p.requiredObjectList(ApplicationRequests.FIELD);
        OwnedClusters.requireRunning(cluster, ctx.action());
        Release release = releaseOf(cluster);
        List<ApplicationRow> existing = applications.list(cluster.clusterId());
        List<RequestedApplication> requested = ApplicationRequests.read(elements, release, installed(existing));
        requireNotDeployed(cluster.clusterId(), existing, requested);
        chartCheck.requireDeployable(cluster.clusterId(), cluster.namespace(), cluster.nodePoolIds(), requested);
        DeployCommand cmd = new DeployCommand(ApplicationRequests.requester(ctx, token), cluster, requested);
        return lifecycle.deploy(cmd, h -> {
            OwnedClusters.requireRunning(lockedCluster(h, caller, cluster.clusterId()), ctx.action());
            requireNotDeployed(cluster.clusterId(), applications.list(h, cluster.clusterId()), requested);
        });
    }

    Submission undeploy(ActionContext ctx, Optional<ClientToken> token) {
        Caller caller = ctx.caller();
        Params p = ctx.params();
        ClusterRow cluster = requireCluster(caller, p.requiredString("ClusterId"));
        List<String> raw = p.requiredStringList("ApplicationNames");
        OwnedClusters.requireRunning(cluster, ctx.action());
        Release release = releaseOf(cluster);
        List<String> removing = canonicalNames(p, raw, release);
        requireRemovable(p, cluster.clusterId(), applications.list(cluster.clusterId()), removing, release);
        UndeployCommand cmd = new UndeployCommand(ApplicationRequests.requester(ctx, token), cluster, release,
                removing);
        return lifecycle.undeploy(cmd, h -> {
            OwnedClusters.requireRunning(lockedCluster(h, caller, cluster.clusterId()), ctx.action());
            requireRemovable(p, cluster.clusterId(), applications.list(h, cluster.clusterId()), removing, release);
        });
    }

    Page<ApplicationItem> list(ActionContext ctx) {
        Params p = ctx.params();
        ClusterRow cluster = requireCluster(ctx.caller(), p.requiredString("ClusterId"));
        Page.Request paging = Paging.of(p);
        Page<ApplicationRow> page = applications.page(cluster.clusterId(), paging);
        return paging.page(page.items().stream().map(ApplicationItem::of).toList(), page.totalCount());
    }

    // --- checks ------------------------------------------------------------------------------

    private ClusterRow requireCluster(Caller caller, String clusterId) {
        return clusters.get(caller.accountId(), clusterId);
    }

    private ClusterRow lockedCluster(Handle h, Caller caller, String clusterId) {
        return clusters.get(h, caller.accountId(), clusterId);
    }


    private Release releaseOf(ClusterRow cluster) {
        return catalog.release(cluster.releaseVersion()).orElseThrow(() -> new IllegalStateException(
                "release " + cluster.releaseVersion() + " of cluster " + cluster.clusterId()
                        + " is no longer in the catalog"));
    }

    private static List<String> installed(List<ApplicationRow> existing) {
        return existing.stream().filter(a -> a.state() == ApplicationState.INSTALLED)
                .map(ApplicationRow::applicationName).toList();
    }

    private static void requireNotDeployed(String clusterId, List<ApplicationRow> existing,
                                           List<RequestedApplication> requested) {
        for (RequestedApplication app : requested) {
            for (ApplicationRow row : existing) {
                if (row.applicationName().equals(app.name())) {
                    throw ErrorCode.APPLICATION_STATE_DENIED.exception("Application " + app.name()
                            + " is already deployed in cluster " + clusterId + " (state " + row.state().wireName()
                            + "); undeploy it first to deploy it again.");
                }
            }
        }
    }

    private static List<String> canonicalNames(Params p, List<String> raw, Release release) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(release.requireApplication(p.name("ApplicationNames") + "." + (i + 1), raw.get(i)).name());
        }
        return new ArrayList<>(out);
    }

    private static void requireRemovable(Params p, String clusterId, List<ApplicationRow> existing,
                                         List<String> removing, Release release) {
        List<String> present = existing.stream().map(ApplicationRow::applicationName).toList();
        for (String name : removing) {
            if (!present.contains(name)) {
                throw ErrorCode.NOT_FOUND_APPLICATION.exception(p.name("ApplicationNames") + ": application " + name
                        + " is not deployed in cluster " + clusterId + ".");
            }
        }
        release.requireNoDependants(p.name("ApplicationNames"), present, removing);
    }
}
