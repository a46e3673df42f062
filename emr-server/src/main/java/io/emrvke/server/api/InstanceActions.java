package io.emrvke.server.api;

import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ApplicationState;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.InstanceCommand;
import io.emrvke.server.application.InstanceOperations;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.application.Requester;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * CreateComponentInstance (docs/api.md#createcomponentinstance) and DeleteComponentInstance
 * (docs/api.md#deletecomponentinstance): extra instances of multi-instance components
 * (RayCluster). Each request is validated into an {@link InstanceCommand} that
 * {@link InstanceOperations} submits as an operation holding just that instance; the checks that
 * another request could break in between (a release name taken, a last instance) run again under
 * the cluster's lock.
 */
public final class InstanceActions {
    /** Kubernetes object names are derived from it; 53 leaves room for suffixes, as Helm does. */
    public static final int MAX_RELEASE_NAME = 53;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final ComponentLookup lookup;
    private final InstanceRepository instances;
    private final InstanceOperations operations;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;

    public InstanceActions(ComponentLookup lookup, InstanceRepository instances, ConfigRepository configs,
                           ChartCheck chartCheck, OperationSubmitter submitter) {
        this.lookup = lookup;
        this.instances = instances;
        this.operations = new InstanceOperations(instances, configs, submitter);
        this.chartCheck = chartCheck;
        this.submitter = submitter;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.submitting("CreateComponentInstance", submitter, this::create),
                Actions.submitting("DeleteComponentInstance", submitter, this::delete));
    }


    Submission create(ActionContext ctx, Optional<ClientToken> token) {
        InstanceCommand cmd = validateCreate(ApplicationRequests.requester(ctx, token), ctx.params());
        return operations.create(cmd, h -> {
            if (instances.find(h, cmd.cluster().clusterId(), cmd.releaseName()).isPresent()) {
                throw duplicate(cmd.cluster(), cmd.releaseName());
            }
        });
    }

    Submission delete(ActionContext ctx, Optional<ClientToken> token) {
        Params p = ctx.params();
        long accountId = ctx.caller().accountId();
        ClusterRow cluster = lookup.cluster(accountId, p.requiredString("ClusterId"));
        ComponentLookup.Deployed app = lookup.application(cluster, p.name("ApplicationName"),
                p.requiredString("ApplicationName"));
        ComponentSpec component = ComponentLookup.component(app.spec(), p.name("ComponentName"),
                p.requiredString("ComponentName"));
        String releaseName = p.requiredString("ReleaseName");
        OwnedClusters.requireRunning(cluster, ctx.action());
        requireNotUninstalling(app);
        InstanceRow instance = lookup.instance(cluster, app.spec(), component, p.name("ReleaseName"), releaseName);
        InstanceCommand cmd = new InstanceCommand(ApplicationRequests.requester(ctx, token), cluster, app.spec(),
                component, instance.releaseName(), List.of());
        return operations.delete(cmd, h -> refuseLastInstance(h, cmd));
    }

    private InstanceCommand validateCreate(Requester requester, Params p) {
        ClusterRow cluster = lookup.cluster(requester.caller().accountId(), p.requiredString("ClusterId"));
        ComponentLookup.Deployed app = lookup.application(cluster, p.name("ApplicationName"),
                p.requiredString("ApplicationName"));
        ComponentSpec component = ComponentLookup.component(app.spec(), p.name("ComponentName"),
                p.requiredString("ComponentName"));
        String releaseName = validReleaseName(p);
        List<ConfigItem> items = configItems(p, app.spec(), component);
        // Mapped to the runtime's spec now, so a value it cannot use (worker_replicas "lots") fails the request.
        ReleaseSpec spec = ReleaseSpecs.forInstance(cluster.clusterId(), cluster.namespace(), releaseName,
                app.spec(), component, ConfigItem.byFile(items), chartCheck.placement(cluster.nodePoolIds()));
        OwnedClusters.requireRunning(cluster, "CreateComponentInstance");
        if (app.row().state() != ApplicationState.INSTALLED) {
            throw ErrorCode.APPLICATION_STATE_DENIED.exception("Application " + app.spec().name() + " of cluster "
                    + cluster.clusterId() + " is " + app.row().state().wireName()
                    + "; instances can only be added to an INSTALLED application.");
        }
        if (!component.multiInstance()) {
            throw p.invalid("ComponentName", "'" + component.name() + "' takes no extra instances: only"
                    + " multi-instance components (such as RayCluster) do; multi-instance components of "
                    + app.spec().name() + ": " + multiInstanceNames(app.spec()));
        }
        instances.find(cluster.clusterId(), releaseName).ifPresent(existing -> {
            throw duplicate(cluster, releaseName);
        });
        if (!items.isEmpty()) {
            ConfigItem.requireFitOneInstance(p.name("ApplicationConfigs"), releaseName,
                    ConfigRepository.merged(ConfigItem.defaultsOf(app.spec(), component), items));
            chartCheck.requireRenders(spec, p.name("ApplicationConfigs"),
                    RequestedItem.numbered(p.name("ApplicationConfigs"), items));
        }
        return new InstanceCommand(requester, cluster, app.spec(), component, releaseName, items);
    }

    /**
     * Undeploying the application is how its last instance goes: refuse deleting the only instance
     * of a component, counting instances another unfinished DeleteComponentInstance already takes.
     */
    private void refuseLastInstance(Handle h, InstanceCommand cmd) {
        if (instances.othersNotBeingDeleted(h, cmd.cluster().clusterId(), cmd.app().name(), cmd.component().name(),
                cmd.releaseName()) == 0) {
            throw Params.invalidAt("ReleaseName", "'" + cmd.releaseName() + "' is the only instance of "
                    + cmd.app().name() + " " + cmd.component().name() + " in cluster " + cmd.cluster().clusterId()
                    + "; an application's last instance goes with UndeployApplications");
        }
    }

    private static String validReleaseName(Params p) {
        String name = p.requiredString("ReleaseName");
        if (name.isEmpty()) {
            throw p.invalid("ReleaseName", "must not be empty");
        }
        if (name.length() > MAX_RELEASE_NAME) {
            throw p.invalid("ReleaseName", "must be at most " + MAX_RELEASE_NAME + " characters, got " + name.length());
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            throw p.invalid("ReleaseName", "'" + Params.clip(name) + "' is not a DNS label: use lower-case letters,"
                    + " digits and '-', starting and ending with a letter or digit");
        }
        return name;
    }

    /** ApplicationConfigs of a create: files the component mounts, valid keys, string values, no repeats. */
    private static List<ConfigItem> configItems(Params p, ApplicationSpec app, ComponentSpec component) {
        List<Params> given = p.objectList("ApplicationConfigs");
        ConfigItems.requireRequestCount(p.name("ApplicationConfigs"), given.size());
        List<ConfigItem> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Params item : given) {
            String fileName = item.requiredString("ConfigFileName");
            ConfigFileSpec file = app.requireConfigFile(item.name("ConfigFileName"), fileName);
            if (!component.mounts(file.name())) {
                throw item.invalid("ConfigFileName", "'" + file.name() + "' is not mounted by " + component.name()
                        + "; its files: " + String.join(", ", component.configFiles()));
            }
            String key = ConfigItems.validateKey(item.name("ConfigItemKey"), item.requiredString("ConfigItemKey"));
            String value = ConfigItems.validateValue(item.name("ConfigItemValue"),
                    item.requiredString("ConfigItemValue"));
            if (!seen.add(file.name().toLowerCase(Locale.ROOT) + "\n" + key)) {
                throw item.invalid("ConfigItemKey", "'" + key + "' of " + file.name() + " is given twice");
            }
            items.add(new ConfigItem(file.name(), key, value));
        }
        return items;
    }

    private static void requireNotUninstalling(ComponentLookup.Deployed app) {
        if (app.row().state() == ApplicationState.UNINSTALLING) {
            throw ErrorCode.APPLICATION_STATE_DENIED.exception("Application " + app.spec().name()
                    + " is UNINSTALLING; its instances go with it.");
        }
    }

    private static io.emrvke.api.ApiException duplicate(ClusterRow cluster, String releaseName) {
        return Params.invalidAt("ReleaseName", "'" + releaseName + "' is already an instance of cluster "
                + cluster.clusterId() + "; release names are unique within a cluster");
    }

    private static String multiInstanceNames(ApplicationSpec app) {
        List<String> names = app.components().stream().filter(ComponentSpec::multiInstance).map(ComponentSpec::name)
                .toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
