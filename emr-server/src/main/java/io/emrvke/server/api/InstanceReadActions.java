package io.emrvke.server.api;

import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.runtime.ClusterRuntime;
import io.emrvke.server.runtime.InstanceRef;
import io.emrvke.server.runtime.InstanceState;
import io.emrvke.server.runtime.InstanceStatus;
import io.emrvke.server.runtime.TargetRegistry;
import io.emrvke.server.store.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * ListComponents (docs/api.md#listcomponents) and ListComponentInstances
 * (docs/api.md#listcomponentinstances). Rows come from the store; the live InstanceState,
 * Replicas and ReadyReplicas from the runtime's watch cache — never a Kubernetes call on the
 * request path.
 */
public final class InstanceReadActions {
    private final ComponentLookup lookup;
    private final InstanceRepository instances;
    private final TargetRegistry targets;

    public InstanceReadActions(ComponentLookup lookup, InstanceRepository instances, TargetRegistry targets) {
        this.lookup = lookup;
        this.instances = instances;
        this.targets = targets;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.read("ListComponents", this::listComponents),
                Actions.read("ListComponentInstances", this::listInstances));
    }

    /** One component of a deployed application. */
    public record ComponentView(String applicationName, String componentName, List<String> supportedActions,
                                boolean multiInstance, int instanceCount) {
    }

    /** One instance: stored facts plus what the watch cache sees now. */
    public record InstanceView(String applicationName, String componentName, String releaseName,
                               String instanceState, String desiredState, int replicas, int readyReplicas,
                               String workloadKind, String workloadName, int configVersion, long createTime,
                               long updateTime) {
    }

    Page<ComponentView> listComponents(ActionContext ctx) {
        Params p = ctx.params();
        ClusterRow cluster = lookup.cluster(ctx.caller().accountId(), p.requiredString("ClusterId"));
        List<ComponentLookup.Deployed> scope = applicationsIn(cluster, p);
        Page.Request paging = Paging.of(p);
        List<InstanceRow> rows = instances.list(cluster.clusterId());
        List<ComponentView> all = new ArrayList<>();
        for (ComponentLookup.Deployed app : scope) {
            for (ComponentSpec c : app.spec().components()) {
                int count = (int) rows.stream().filter(r -> r.applicationName().equalsIgnoreCase(app.spec().name())
                        && r.componentName().equalsIgnoreCase(c.name())).count();
                all.add(new ComponentView(app.spec().name(), c.name(),
                        c.supportedActions().stream().map(ComponentAction::wireName).toList(), c.multiInstance(), count));
            }
        }
        return page(all, paging);
    }

    Page<InstanceView> listInstances(ActionContext ctx) {
        Params p = ctx.params();
        ClusterRow cluster = lookup.cluster(ctx.caller().accountId(), p.requiredString("ClusterId"));
        List<ComponentLookup.Deployed> scope = applicationsIn(cluster, p);
        Set<String> components = componentsIn(scope, p);
        Set<String> releaseNames = new HashSet<>(p.stringList("ReleaseNames"));
        Set<String> states = new HashSet<>(p.choiceList("InstanceStates",
                Arrays.stream(InstanceState.values()).map(Enum::name).toList()));
        Page.Request paging = Paging.of(p);
        Optional<ClusterRuntime> runtime = targets.find(cluster.vkeClusterId());
        List<InstanceView> matching = new ArrayList<>();
        // Instances are few per cluster (one per component plus extra RayClusters): filter in memory,
        // since the state filter applies to the live state the store does not hold.
        for (InstanceRow row : instances.list(cluster.clusterId())) {
            if (!inScope(row, scope) || !components.isEmpty() && !components.contains(key(row.componentName()))
                    || !releaseNames.isEmpty() && !releaseNames.contains(row.releaseName())) {
                continue;
            }
            InstanceStatus status = liveStatus(runtime, cluster, row);
            if (states.isEmpty() || states.contains(status.state().name())) {
                matching.add(view(row, status));
            }
        }
        return page(matching, paging);
    }

    /** What the watch cache knows now; UNKNOWN when the cluster's Kubernetes target is not registered. */
    static InstanceStatus liveStatus(Optional<ClusterRuntime> runtime, ClusterRow cluster, InstanceRow row) {
        return runtime.map(r -> r.status(new InstanceRef(cluster.namespace(), row.releaseName())))
                .orElseGet(() -> InstanceStatus.unknown("Kubernetes target " + cluster.vkeClusterId()
                        + " is not registered on this server"));
    }

    private static InstanceView view(InstanceRow row, InstanceStatus status) {
        return new InstanceView(row.applicationName(), row.componentName(), row.releaseName(), status.state().name(),
                row.desiredState().wireName(), status.replicas(), status.readyReplicas(), row.workloadKind(),
                row.workloadName(), row.configVersion(), row.createTime(), row.updateTime());
    }

    /** The deployed applications the request's ApplicationNames name (each must be deployed), or all of them. */
    private List<ComponentLookup.Deployed> applicationsIn(ClusterRow cluster, Params p) {
        List<ComponentLookup.Deployed> deployed = lookup.deployed(cluster);
        List<String> names = p.stringList("ApplicationNames");
        if (names.isEmpty()) {
            return deployed;
        }
        Set<String> wanted = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            wanted.add(key(lookup.application(cluster, deployed, p.name("ApplicationNames") + "." + (i + 1),
                    names.get(i)).spec().name()));
        }
        return deployed.stream().filter(d -> wanted.contains(key(d.spec().name()))).toList();
    }

    /** Canonical names of the ComponentNames filter; each must be a component of an application in scope. */
    private static Set<String> componentsIn(List<ComponentLookup.Deployed> scope, Params p) {
        List<String> names = p.stringList("ComponentNames");
        Set<String> out = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Optional<ComponentSpec> found = scope.stream().map(d -> d.spec().component(name)).flatMap(Optional::stream)
                    .findFirst();
            if (found.isEmpty()) {
                List<String> known = scope.stream().flatMap(d -> d.spec().componentNames().stream()).toList();
                throw io.emrvke.api.ErrorCode.NOT_FOUND_COMPONENT.exception(p.name("ComponentNames") + "." + (i + 1)
                        + " '" + Params.clip(name) + "' is not a component of the deployed applications"
                        + (known.isEmpty() ? "" : "; components: " + String.join(", ", known)) + ".");
            }
            out.add(key(found.get().name()));
        }
        return out;
    }

    private static boolean inScope(InstanceRow row, List<ComponentLookup.Deployed> scope) {
        return scope.stream().anyMatch(d -> d.spec().name().equalsIgnoreCase(row.applicationName()));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static <T> Page<T> page(List<T> all, Page.Request paging) {
        int from = (int) Math.min(all.size(), paging.offset());
        int to = Math.min(all.size(), from + paging.maxResults());
        return paging.page(List.copyOf(all.subList(from, to)), all.size());
    }
}
