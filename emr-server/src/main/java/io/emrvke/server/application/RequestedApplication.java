package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import java.util.List;

/**
 * One validated element of a request's {@code Applications}: the catalog application, its items, and the
 * field they came in (e.g. {@code Applications.2.ApplicationConfigs}), for messages about them.
 */
public record RequestedApplication(ApplicationSpec spec, List<ConfigItem> items, String configsField) {

    public RequestedApplication {
        items = List.copyOf(items);
    }

    /** The items with their fields: items keep request order, so the i-th came in {@code configsField.i}. */
    public List<RequestedItem> requestedItems() {
        return RequestedItem.numbered(configsField, items);
    }

    public String name() {
        return spec.name();
    }
}
