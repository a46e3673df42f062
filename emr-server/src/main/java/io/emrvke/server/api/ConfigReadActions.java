package io.emrvke.server.api;

import io.emrvke.server.application.ConfigHistoryRow;
import io.emrvke.server.application.ConfigItemRow;
import io.emrvke.server.application.ConfigRepository;
import io.emrvke.server.application.InstanceRepository;
import io.emrvke.server.application.InstanceRow;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.cluster.ClusterRow;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ListApplicationConfigs (docs/api.md#listapplicationconfigs) and ListApplicationConfigHistories
 * (docs/api.md#listapplicationconfighistories): the current config items of an application's
 * instances and one row per change. Secret values are {@code ******}.
 */
public final class ConfigReadActions {
    private final ComponentLookup lookup;
    private final InstanceRepository instances;
    private final ConfigRepository configs;

    public ConfigReadActions(ComponentLookup lookup, InstanceRepository instances, ConfigRepository configs) {
        this.lookup = lookup;
        this.instances = instances;
        this.configs = configs;
    }

    public List<ActionSpec> actions() {
        return List.of(Actions.read("ListApplicationConfigs", this::listConfigs),
                Actions.read("ListApplicationConfigHistories", this::listHistories));
    }

    /** One current item of one instance. */
    public record ConfigView(String releaseName, String configFileName, String configItemKey, String configItemValue,
                             int configVersion, boolean secret) {
    }

    /** One change of one item. */
    public record HistoryView(int configVersion, String releaseName, String configFileName, String configItemKey,
                              String oldValue, String newValue, String operationId, long createTime) {
    }

    /** What both actions look at: an application, optionally one instance and one file. */
    private record Scope(ClusterRow cluster, ApplicationSpec app, String releaseName, String fileName) {
    }

    Page<ConfigView> listConfigs(ActionContext ctx) {
        Scope scope = scope(ctx);
        Page.Request paging = Paging.of(ctx.params());
        List<InstanceRow> rows = scope.releaseName() != null
                ? instances.find(scope.cluster().clusterId(), scope.releaseName()).stream().toList()
                : instances.listByApplication(scope.cluster().clusterId(), scope.app().name());
        List<ConfigView> items = new ArrayList<>();
        for (InstanceRow instance : rows.stream().sorted(Comparator.comparing(InstanceRow::releaseName)).toList()) {
            for (ConfigItemRow item : ConfigRepository.redacted(configs.current(scope.cluster().clusterId(),
                    instance.releaseName()))) {
                if (scope.fileName() == null || scope.fileName().equalsIgnoreCase(item.configFileName())) {
                    items.add(new ConfigView(instance.releaseName(), item.configFileName(), item.key(), item.value(),
                            item.configVersion(), item.secret()));
                }
            }
        }
        return InstanceReadActions.page(items, paging);
    }

    Page<HistoryView> listHistories(ActionContext ctx) {
        Scope scope = scope(ctx);
        Page.Request paging = Paging.of(ctx.params());
        Page<ConfigHistoryRow> page = configs.history(scope.cluster().clusterId(), scope.app().name(),
                scope.releaseName(), scope.fileName(), paging);
        return paging.page(page.items().stream().map(ConfigReadActions::view).toList(), page.totalCount());
    }

    private static HistoryView view(ConfigHistoryRow r) {
        // History rows hold ****** for secrets already; shown() guards rows written before that rule.
        return new HistoryView(r.configVersion(), r.releaseName(), r.configFileName(), r.key(),
                redact(r.secret(), r.key(), r.oldValue()), redact(r.secret(), r.key(), r.newValue()), r.operationId(),
                r.createTime());
    }

    private static String redact(boolean secret, String key, String value) {
        return value != null && (secret || ConfigItems.isSecret(key)) ? ConfigItems.REDACTED : value;
    }

    private Scope scope(ActionContext ctx) {
        Params p = ctx.params();
        ClusterRow cluster = lookup.cluster(ctx.caller().accountId(), p.requiredString("ClusterId"));
        ComponentLookup.Deployed app = lookup.application(cluster, p.name("ApplicationName"),
                p.requiredString("ApplicationName"));
        String releaseName = p.optionalString("ReleaseName").orElse(null);
        if (releaseName != null) {
            releaseName = lookup.instance(cluster, app.spec(), p.name("ReleaseName"), releaseName).releaseName();
        }
        String fileName = p.optionalString("ConfigFileName")
                .map(f -> app.spec().requireConfigFile(p.name("ConfigFileName"), f))
                .map(ConfigFileSpec::name).orElse(null);
        return new Scope(cluster, app.spec(), releaseName, fileName);
    }
}
