package io.emrvke.server.api;

import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.Catalog;
import io.emrvke.server.catalog.ComponentAction;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.ActionSpec;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.store.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The catalog's actions: {@code ListReleaseVersions} (docs/api.md#listreleaseversions). */
public final class CatalogActions {
    public static final String LIST_RELEASE_VERSIONS = "ListReleaseVersions";

    private final Catalog catalog;

    public CatalogActions(Catalog catalog) {
        this.catalog = catalog;
    }

    public List<ActionSpec> specs() {
        return List.of(Actions.read(LIST_RELEASE_VERSIONS, this::listReleaseVersions));
    }

    /** One release as ListReleaseVersions shows it. */
    public record ReleaseItem(String releaseVersion, List<ApplicationItem> applications) {
    }

    public record ApplicationItem(String applicationName, String applicationVersion, List<String> dependsOn,
            List<ComponentItem> components, List<ConfigFileItem> configFiles) {
    }

    public record ComponentItem(String componentName, String workloadKind, List<String> supportedActions,
            boolean multiInstance, int defaultReplicas, List<String> configFiles) {
    }

    public record ConfigFileItem(String configFileName, String format, List<ConfigItem> items) {
    }

    public record ConfigItem(String configItemKey, String defaultValue) {
    }

    /**
     * Request: optional {@code ReleaseVersions} (any case; an unknown one is NotFound.ReleaseVersion),
     * {@code MaxResults}, {@code NextToken}. Result: a page of {@link ReleaseItem}, newest release first.
     */
    Page<ReleaseItem> listReleaseVersions(ActionContext context) {
        Params params = context.params();
        List<Release> selected = selectReleases(params);
        Page.Request paging = Paging.of(params);
        List<ReleaseItem> items = selected.stream()
                .skip(Math.min(paging.offset(), selected.size()))
                .limit(paging.maxResults())
                .map(CatalogActions::item)
                .toList();
        return paging.page(items, selected.size());
    }

    private List<Release> selectReleases(Params params) {
        List<String> wanted = params.stringList("ReleaseVersions");
        if (wanted.isEmpty()) {
            return catalog.releases();
        }
        List<Release> named = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            named.add(catalog.requireRelease(params.name("ReleaseVersions") + "." + (i + 1), wanted.get(i)));
        }
        // Keep the catalog's newest-first order and each release once, whatever the request's order.
        return catalog.releases().stream().filter(named::contains).toList();
    }

    static ReleaseItem item(Release release) {
        return new ReleaseItem(release.version(), release.applications().stream().map(CatalogActions::item).toList());
    }

    private static ApplicationItem item(ApplicationSpec app) {
        return new ApplicationItem(app.name(), app.version(), app.dependsOn(),
                app.components().stream().map(CatalogActions::item).toList(),
                app.configFiles().stream().map(CatalogActions::item).toList());
    }

    private static ComponentItem item(ComponentSpec c) {
        return new ComponentItem(c.name(), c.workloadKind().wireName(),
                c.supportedActions().stream().map(ComponentAction::wireName).toList(),
                c.multiInstance(), c.replicas(), c.configFiles());
    }

    private static ConfigFileItem item(ConfigFileSpec file) {
        List<ConfigItem> items = new ArrayList<>();
        for (Map.Entry<String, String> d : file.defaults().entrySet()) {
            // The loader refuses secret defaults; redact anyway so that no path can show one.
            items.add(new ConfigItem(d.getKey(), ConfigItems.shown(d.getKey(), d.getValue())));
        }
        return new ConfigFileItem(file.name(), file.format().wireName(), items);
    }
}
