package io.emrvke.server.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The items of one config file of an instance (key → value), in the file's format. */
public record ConfigFileValues(String fileName, ConfigFormat format, Map<String, String> items) {
    public ConfigFileValues {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(format, "format");
        // Sorted so the rendered file (and its checksum) does not depend on map order.
        items = items == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(items));
    }
}
