package io.emrvke.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.application.ConfigItem;
import io.emrvke.server.application.RequestedApplication;
import io.emrvke.server.application.Requester;
import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import io.emrvke.server.catalog.Release;
import io.emrvke.server.gateway.ActionContext;
import io.emrvke.server.gateway.Params;
import io.emrvke.server.operation.engine.ClientToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code Applications} field of CreateVirtualCluster and DeployApplications: each
 * {ApplicationName, ApplicationConfigs: [{ConfigFileName, ConfigItemKey, ConfigItemValue}]}
 * checked against the cluster's release, with messages naming the field by its full path.
 */
public final class ApplicationRequests {
    public static final String FIELD = "Applications";

    private ApplicationRequests() {
    }

    /**
     * The requested applications in catalog order (deployment order), with their items'
     * file names in canonical spelling. Dependencies are checked against {@code deployed} plus the
     * request itself.
     *
     * @throws io.emrvke.api.ApiException MissingParameter / InvalidParameter naming the field
     */
    public static List<RequestedApplication> read(List<Params> elements, Release release, Collection<String> deployed) {
        Map<String, RequestedApplication> byName = new LinkedHashMap<>();
        int items = 0;
        for (Params element : elements) {
            RequestedApplication app = readOne(element, release, items);
            items += app.items().size();
            if (byName.putIfAbsent(app.name(), app) != null) {
                throw Params.invalidAt(element.name("ApplicationName"), "names " + app.name()
                        + " a second time; list each application once");
            }
        }
        release.requireDependencies(FIELD, deployed, byName.keySet());
        List<RequestedApplication> ordered = new ArrayList<>();
        for (ApplicationSpec spec : release.inCatalogOrder(byName.keySet())) {
            ordered.add(byName.get(spec.name()));
        }
        return ordered;
    }

    /** One element; {@code itemsBefore} is how many config items the elements before it gave. */
    private static RequestedApplication readOne(Params element, Release release, int itemsBefore) {
        String name = element.requiredString("ApplicationName");
        ApplicationSpec spec = release.requireApplication(element.name("ApplicationName"), name);
        List<Params> configs = element.objectList("ApplicationConfigs");
        ConfigItems.requireRequestCount(element.name("ApplicationConfigs"), itemsBefore + configs.size());
        List<ConfigItem> items = new ArrayList<>();
        for (Params config : configs) {
            String file = config.requiredString("ConfigFileName");
            ConfigFileSpec fileSpec = spec.requireConfigFile(config.name("ConfigFileName"), file);
            String key = ConfigItems.validateKey(config.name("ConfigItemKey"), config.requiredString("ConfigItemKey"));
            String value = ConfigItems.validateValue(config.name("ConfigItemValue"),
                    config.requiredString("ConfigItemValue"));
            items.add(new ConfigItem(fileSpec.name(), key, value));
        }
        return new RequestedApplication(spec, items, element.name("ApplicationConfigs"));
    }

    /** Who asks, the request masked as the operation's Content shows it, and its ClientToken. */
    static Requester requester(ActionContext ctx, Optional<ClientToken> token) {
        return new Requester(ctx.caller(), maskedContent(ctx.params().json()), token.orElse(null));
    }

    /**
     * The request as it may be stored in an operation's {@code Content}: a copy in which every
     * {@code ConfigItemValue} of a secret {@code ConfigItemKey} reads {@code ******}.
     */
    public static String maskedContent(JsonNode request) {
        JsonNode copy = request == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : request.deepCopy();
        mask(copy);
        return copy.toString();
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode key = o.get("ConfigItemKey");
            if (key != null && key.isTextual() && ConfigItems.isSecret(key.asText()) && o.has("ConfigItemValue")) {
                o.put("ConfigItemValue", ConfigItems.REDACTED);
            }
            o.elements().forEachRemaining(ApplicationRequests::mask);
        } else if (node != null && node.isArray()) {
            node.forEach(ApplicationRequests::mask);
        }
    }
}
