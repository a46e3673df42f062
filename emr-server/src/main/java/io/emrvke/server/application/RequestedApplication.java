package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import java.util.List;

/** One validated element of a request's {@code Applications}: the catalog application and its items. */
public record RequestedApplication(ApplicationSpec spec, List<ConfigItem> items) {

    public RequestedApplication {
        items = List.copyOf(items);
    }

    public String name() {
        return spec.name();
    }
}
