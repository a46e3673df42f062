package io.emrvke.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.api.ErrorCode;
import io.emrvke.server.application.ApplicationState;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.ConfigItemRow;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.Deployments;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.application.ReleaseSpecs;
import io.emrvke.server.application.RequestedItem;
import io.emrvke.server.application.RunActionCommand.Target;
import io.emrvke.server.application.RunActionCommand;
import io.emrvke.server.application.RunActions;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import io.emrvke.server.operation.engine.OperationSubmitter;
import io.emrvke.server.operation.engine.Submission;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RunApplicationAction (docs/api.md#runapplicationaction): start, stop or restart the instances
 * of components. The request is read once ({@link RunActionParams}) and validated field by field,
 * the targets resolved to instances and ordered (catalog order; stop in reverse), each given the
 * config changes of the files it mounts and rendered with them; the resulting
 * {@link RunActionCommand} goes to the domain ({@link RunActions}), which batches and submits it.
 */
public final class RunApplicationAction {
    public static final String ACTION = "RunApplicationAction";
    static final List<String> SCOPES = List.of("APPLICATION", "COMPONENT", "COMPONENT_INSTANCE");
    static final int MAX_REMARK = 256;

    private final ComponentLookup lookup;
    private final InstanceRepository instances;
    private final ConfigRepository configs;
    private final ChartCheck chartCheck;
    private final OperationSubmitter submitter;
    private final RunActions runActions;

    public RunApplicationAction(ComponentLookup lookup, InstanceRepository instances, ConfigRepository configs,
                                ChartCheck chartCheck, OperationSubmitter submitter) {
        this.lookup = lookup;
        this.instances = instances;
        this.configs = configs;
        this.chartCheck = chartCheck;
        this.submitter = submitter;
        this.runActions = new RunActions(configs, submitter);
    }

    public ActionSpec spec() {
        return Actions.submitting(ACTION, submitter, this::run);
    }


    Submission run(ActionContext ctx, Optional<ClientToken> token) {
        Params p = ctx.params();
        long accountId = ctx.caller().accountId();
        String clusterId = p.requiredString("ClusterId");
        ComponentAction action = ComponentAction.valueOf(p.requiredChoice("ActionName",
                ComponentAction.wireNames()).toUpperCase(Locale.ROOT));
        String scope = p.requiredChoice("ActionScope", SCOPES);
        List<Params> components = p.requiredObjectList("Components");
        RunActionParams options = RunActionParams.read(p, action);
        Optional<String> remark = p.optionalString("Remark");
        if (remark.isPresent() && remark.get().length() > MAX_REMARK) {
            throw p.invalid("Remark", "must be at most " + MAX_REMARK + " characters, got " + remark.get().length());
        }

        ClusterRow cluster = lookup.cluster(accountId, clusterId);
        OwnedClusters.requireRunning(cluster, ctx.action());
        Release release = lookup.release(cluster);
        List<Target> targets = resolve(cluster, release, action, scope, components, options);
        return runActions.run(new RunActionCommand(ctx.caller(), cluster, action, targets,
                options.applicationConfigs().stream().map(RequestedItem::item).toList(), options.batchSize(),
                options.executionOptions(), options.dryRun(), maskedContent(p.json(), options).toString(),
                remark.orElse(null), token.orElse(null)));
    }

    // --- targets -----------------------------------------------------------------------------

    private List<Target> resolve(ClusterRow cluster, Release release, ComponentAction action, String scope,
                                 List<Params> requested, RunActionParams options) {
        List<ComponentLookup.Deployed> deployed = lookup.deployed(cluster);
        Map<String, Selected> selected = new LinkedHashMap<>();
        for (Params item : requested) {
            ApplicationSpec app = application(cluster, release, deployed, item);
            List<ComponentSpec> components = components(app, scope, item, action);
            Selected s = selected.computeIfAbsent(app.name(), n -> new Selected(app, new LinkedHashSet<>()));
            s.components().addAll(components);
        }
        List<InstanceRow> chosen = instancesOf(cluster, scope, selected.values(), options);
        chosen.sort(action == ComponentAction.STOP ? Deployments.catalogOrder(release).reversed()
                : Deployments.catalogOrder(release));
        List<Target> targets = new ArrayList<>();
        for (InstanceRow i : chosen) {
            Selected s = selected.get(i.applicationName());
            ComponentSpec component = s.app().component(i.componentName()).orElseThrow();
            targets.add(new Target(s.app(), component, i, List.of()));
        }
        return withConfigChanges(cluster, targets, options);
    }

    private record Selected(ApplicationSpec app, Set<ComponentSpec> components) {
    }

    /** The application of one Components item: in the release, deployed, INSTALLED. */
    private static ApplicationSpec application(ClusterRow cluster, Release release,
                                               List<ComponentLookup.Deployed> deployed, Params item) {
        String field = item.name("ApplicationName");
        String name = item.requiredString("ApplicationName").trim();
        if (name.isEmpty()) {
            throw item.invalid("ApplicationName", "must not be empty");
        }
        ApplicationSpec spec = release.application(name).orElseThrow(() -> ErrorCode.NOT_FOUND_APPLICATION
                .exception(field + " '" + Params.clip(name) + "' is not an application of release "
                        + release.version() + "; its applications: " + String.join(", ", release.applicationNames())
                        + "."));
        ComponentLookup.Deployed app = deployed.stream().filter(d -> d.spec().name().equals(spec.name())).findFirst()
                .orElseThrow(() -> ErrorCode.NOT_FOUND_APPLICATION.exception(field + " '" + spec.name()
                        + "' is not deployed in cluster " + cluster.clusterId() + "; deployed: "
                        + (deployed.isEmpty() ? "none" : deployed.stream().map(d -> d.spec().name())
                        .collect(Collectors.joining(", "))) + " (DeployApplications adds it)."));
        if (app.row().state() != ApplicationState.INSTALLED) {
            throw ErrorCode.APPLICATION_STATE_DENIED.exception("Application " + spec.name() + " of cluster "
                    + cluster.clusterId() + " is " + app.row().state().wireName()
                    + "; actions run only on an INSTALLED application.");
        }
        return spec;
    }

    /** APPLICATION: every component (named ones are still checked); otherwise the named ones. */
    private static List<ComponentSpec> components(ApplicationSpec app, String scope, Params item,
                                                  ComponentAction action) {
        List<String> names = item.stringList("ComponentNames");
        List<ComponentSpec> named = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String field = item.name("ComponentNames") + "." + (i + 1);
            ComponentSpec c = ComponentLookup.component(app, field, names.get(i));
            c.requireSupports("ActionName", action);
            named.add(c);
        }
        if (scope.equals("APPLICATION") || (scope.equals("COMPONENT_INSTANCE") && named.isEmpty())) {
            List<ComponentSpec> all = new ArrayList<>();
            for (ComponentSpec c : app.components()) {
                c.requireSupports("ActionName", action);
                all.add(c);
            }
            return all;
        }
        if (named.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing " + item.name("ComponentNames")
                    + ": ActionScope " + scope + " acts on the named components of " + app.name() + " ("
                    + String.join(", ", app.componentNames()) + ").");
        }
        return named;
    }

    /**
     * The instances of the selected components: those named by releaseName, or every one when no
     * component has more than one (MissingParameter listing them otherwise).
     */
    private List<InstanceRow> instancesOf(ClusterRow cluster, String scope, java.util.Collection<Selected> selected,
                                          RunActionParams options) {
        Map<String, List<InstanceRow>> byComponent = new LinkedHashMap<>();
        List<InstanceRow> all = new ArrayList<>();
        for (Selected s : selected) {
            for (ComponentSpec c : s.components()) {
                List<InstanceRow> list = new ArrayList<>(instances.listByComponent(cluster.clusterId(), s.app().name(),
                        c.name()));
                list.sort(java.util.Comparator.comparing(InstanceRow::releaseName));
                byComponent.put(s.app().name() + " " + c.name(), list);
                all.addAll(list);
            }
        }
        if (options.hasReleaseNames()) {
            List<InstanceRow> chosen = new ArrayList<>();
            for (String name : options.releaseNames()) {
                chosen.add(all.stream().filter(i -> i.releaseName().equals(name)).findFirst().orElseThrow(() ->
                        ComponentLookup.instanceNotFound(cluster, options.releaseNameField(), name,
                                "the targeted components (" + String.join(", ", byComponent.keySet()) + ")")));
            }
            return chosen;
        }
        if (scope.equals("COMPONENT_INSTANCE")) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing ActionParams " + RunActionParams
                    .RELEASE_NAME + ": ActionScope COMPONENT_INSTANCE acts only on the instances it names; instances"
                    + " of the targeted components: " + describe(byComponent) + ".");
        }
        Map<String, List<InstanceRow>> several = new LinkedHashMap<>();
        byComponent.forEach((component, list) -> {
            if (list.size() > 1) {
                several.put(component, list);
            }
        });
        if (!several.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.exception("The request is missing ActionParams "
                    + RunActionParams.RELEASE_NAME + ": " + describe(several) + "; name the instance(s) to act on"
                    + " (one name or a comma-separated list).");
        }
        if (all.isEmpty()) {
            throw ErrorCode.NOT_FOUND_COMPONENT_INSTANCE.exception("The targeted components ("
                    + String.join(", ", byComponent.keySet()) + ") have no instances in cluster "
                    + cluster.clusterId() + ".");
        }
        return all;
    }

    private static String describe(Map<String, List<InstanceRow>> byComponent) {
        List<String> parts = new ArrayList<>();
        byComponent.forEach((component, list) -> parts.add(component + " has " + list.size() + " instance"
                + (list.size() == 1 ? "" : "s") + ": " + list.stream().map(InstanceRow::releaseName)
                .collect(Collectors.joining(", "))));
        return String.join("; ", parts);
    }

    /**
     * Each target gets the applicationConfigs items of the files its component mounts; an item no
     * targeted component mounts is refused, as is a value the instance's release cannot take.
     */
    private List<Target> withConfigChanges(ClusterRow cluster, List<Target> targets, RunActionParams options) {
        if (options.applicationConfigs().isEmpty()) {
            return targets;
        }
        for (RequestedItem pending : options.applicationConfigs()) {
            boolean mounted = targets.stream().anyMatch(t -> mountedFile(t, pending.item().fileName()).isPresent());
            if (!mounted) {
                Set<String> files = new LinkedHashSet<>();
                targets.forEach(t -> t.app().configFilesOf(t.component()).forEach(f -> files.add(f.name())));
                throw Params.invalidAt(pending.field() + ".configFileName", "'" + Params.clip(pending.item()
                        .fileName()) + "' is not a config file of the targeted instances; their files: "
                        + String.join(", ", files));
            }
        }
        List<Target> out = new ArrayList<>();
        for (Target t : targets) {
            List<RequestedItem> changes = new ArrayList<>();
            for (RequestedItem pending : options.applicationConfigs()) {
                mountedFile(t, pending.item().fileName()).ifPresent(file -> changes.add(new RequestedItem(
                        new ConfigItem(file.name(), pending.item().key(), pending.item().value()), pending.field())));
            }
            requireShapesARelease(cluster, t, changes, options.applicationConfigsField());
            out.add(new Target(t.app(), t.component(), t.instance(), changes.stream().map(RequestedItem::item)
                    .toList()));
        }
        return out;
    }

    private static Optional<ConfigFileSpec> mountedFile(Target t, String fileName) {
        return t.app().mountedFile(t.component(), fileName);
    }

    /**
     * Maps the instance's items with the changes to its spec and renders it now, so a value it cannot use
     * (worker_replicas "lots", a value that breaks the chart or that Kubernetes refuses) fails the request, naming
     * the item or {@code field}.
     */
    private void requireShapesARelease(ClusterRow cluster, Target t, List<RequestedItem> changes, String field) {
        List<ConfigItem> current = configs.current(cluster.clusterId(), t.instance().releaseName()).stream()
                .map(ConfigItemRow::item).toList();
        List<ConfigItem> next = ConfigRepository.merged(current, changes.stream().map(RequestedItem::item).toList());
        ConfigItem.requireFitOneInstance(field, t.instance().releaseName(), next);
        Map<String, Map<String, String>> byFile = ConfigItem.byFile(next);
        ReleaseSpec spec = ReleaseSpecs.forInstance(cluster.clusterId(), cluster.namespace(),
                t.instance().releaseName(), t.app(), t.component(), byFile,
                chartCheck.placement(cluster.nodePoolIds()));
        if (!changes.isEmpty()) {
            chartCheck.requireRenders(spec, field, changes);
        }
    }

    // --- content -----------------------------------------------------------------------------

    /**
     * The request as stored in Content: the applicationConfigs value replaced by the items as
     * parsed, the values of secret ones masked.
     */
    static JsonNode maskedContent(ObjectNode request, RunActionParams options) {
        ObjectNode copy = request.deepCopy();
        JsonNode params = copy.get("ActionParams");
        if (params == null || options.applicationConfigsJson() == null) {
            return copy;
        }
        for (JsonNode param : params.isArray() ? params : List.of(params)) {
            if (param instanceof ObjectNode o && RunActionParams.APPLICATION_CONFIGS.equalsIgnoreCase(
                    o.path("Key").asText("").trim())) {
                o.put("Value", masked(options.applicationConfigsJson()).toString());
            }
        }
        return copy;
    }

    private static ArrayNode masked(ArrayNode items) {
        ArrayNode copy = items.deepCopy();
        for (JsonNode item : copy) {
            if (item instanceof ObjectNode o && o.has("configItemValue")
                    && ConfigItems.isSecret(o.path("configItemKey").asText(null))) {
                o.put("configItemValue", ConfigItems.REDACTED);
            }
        }
        return copy;
    }
}
