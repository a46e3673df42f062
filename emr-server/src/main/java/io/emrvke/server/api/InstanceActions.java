package io.emrvke.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ApplicationState;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.application.InstanceStepExecutors;
import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.OperationName;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationPlan;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.PlannedStep;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.operation.engine.Targets;
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
 * (RayCluster). Each request is validated, then submitted as an
 * operation holding just that instance; the instance row (and, on create, its config version 1)
 * is written in the submit's transaction, so a request that got an OperationId has its row.
 */
public final class InstanceActions {
    /** Kubernetes object names are derived from it; 53 leaves room for suffixes, as Helm does. */
    public static final int MAX_RELEASE_NAME = 53;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final ComponentLookup lookup;
    private final InstanceRepository instances;
    private final ConfigRepository configs;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;

    public InstanceActions(ComponentLookup lookup, InstanceRepository instances, ConfigRepository configs,
                           ChartCheck chartCheck, OperationSubmitter submitter) {
        this.lookup = lookup;
        this.instances = instances;
        this.configs = configs;
        this.chartCheck = chartCheck;
        this.submitter = submitter;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.submitting("CreateComponentInstance", submitter, this::create),
                Actions.submitting("DeleteComponentInstance", submitter, this::delete));
    }


    /** What the create request names, validated. */
    private record CreateRequest(ClusterRow cluster, ApplicationSpec app, ComponentSpec component, String releaseName,
                                 List<ConfigItem> items) {
    }

    Submission create(ActionContext ctx, Optional<ClientToken> token) {
        Params p = ctx.params();
        long accountId = ctx.caller().accountId();
        CreateRequest req = validateCreate(accountId, p);
        OperationPlan plan = plan(ctx, req.cluster(), OperationName.CREATE_COMPONENT_INSTANCE, req.app(),
                req.component(), req.releaseName(), InstanceStepExecutors.CREATE_INSTANCE, token);
        return submitter.submit(plan, (h, operationId) -> writeNewInstance(h, req, operationId));
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
        OperationPlan plan = plan(ctx, cluster, OperationName.DELETE_COMPONENT_INSTANCE, app.spec(), component,
                instance.releaseName(), InstanceStepExecutors.DELETE_INSTANCE, token);
        return submitter.submit(plan, (h, operationId) -> refuseLastInstance(h, cluster, app.spec(),
                component, instance.releaseName()));
    }

    private CreateRequest validateCreate(long accountId, Params p) {
        ClusterRow cluster = lookup.cluster(accountId, p.requiredString("ClusterId"));
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
                    ConfigRepository.merged(defaults(app.spec(), component), items));
            chartCheck.requireRenders(spec, p.name("ApplicationConfigs"),
                    RequestedItem.numbered(p.name("ApplicationConfigs"), items));
        }
        return new CreateRequest(cluster, app.spec(), component, releaseName, items);
    }

    /** In the submit's transaction, under the cluster's lock: checked again, then row + config version 1. */
    private void writeNewInstance(Handle h, CreateRequest req, String operationId) {
        if (instances.find(h, req.cluster().clusterId(), req.releaseName()).isPresent()) {
            throw duplicate(req.cluster(), req.releaseName());
        }
        long now = System.currentTimeMillis();
        instances.insert(h, InstanceRow.created(req.cluster().clusterId(), req.releaseName(), req.app().name(),
                req.component().name(), req.component().workloadKind().wireName(), now));
        configs.writeFirstVersion(h, req.cluster().clusterId(), req.app().name(), req.releaseName(),
                defaults(req.app(), req.component()), req.items(), operationId, now);
    }

    /**
     * Undeploying the application is how its last instance goes: refuse deleting the only instance
     * of a component, counting instances another unfinished DeleteComponentInstance already takes.
     */
    private static void refuseLastInstance(Handle h, ClusterRow cluster, ApplicationSpec app, ComponentSpec component,
                                           String releaseName) {
        long remaining = h.createQuery("SELECT COUNT(*) FROM component_instances i"
                        + " WHERE i.cluster_id = :clusterId AND i.application_name = :application"
                        + " AND i.component_name = :component AND i.release_name <> :releaseName"
                        + " AND NOT EXISTS (SELECT 1 FROM operation_targets t JOIN operations o"
                        + " ON o.operation_id = t.operation_id WHERE t.cluster_id = i.cluster_id"
                        + " AND t.target_key = i.release_name AND o.operation_name = :deleting)")
                .bind("clusterId", cluster.clusterId()).bind("application", app.name())
                .bind("component", component.name()).bind("releaseName", releaseName)
                .bind("deleting", OperationName.DELETE_COMPONENT_INSTANCE.wireName())
                .mapTo(Long.class).one();
        if (remaining == 0) {
            throw Params.invalidAt("ReleaseName", "'" + releaseName + "' is the only instance of " + app.name() + " "
                    + component.name() + " in cluster " + cluster.clusterId()
                    + "; an application's last instance goes with UndeployApplications");
        }
    }

    private OperationPlan plan(ActionContext ctx, ClusterRow cluster, OperationName name, ApplicationSpec app,
                               ComponentSpec component, String releaseName, String stepAction,
                               Optional<ClientToken> token) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("ApplicationName", app.name());
        params.put("ComponentName", component.name());
        params.put("ReleaseName", releaseName);
        return OperationPlan.builder(ctx.caller().accountId(), ctx.caller().userId(), cluster.clusterId(), name)
                .operator(ctx.caller().userName())
                .content(ApplicationRequests.maskedContent(ctx.params().json()))
                .params(params.toString())
                .targets(Targets.instances(Set.of(releaseName)))
                .step(new PlannedStep(0, app.name(), component.name(), releaseName, stepAction))
                .clientToken(token.orElse(null))
                .build();
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

    /** The catalog defaults of the files the component mounts: the base of config version 1. */
    static List<ConfigItem> defaults(ApplicationSpec app, ComponentSpec component) {
        List<ConfigItem> out = new ArrayList<>();
        for (ConfigFileSpec file : app.configFilesOf(component)) {
            file.defaults().forEach((k, v) -> out.add(new ConfigItem(file.name(), k, v)));
        }
        return out;
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
