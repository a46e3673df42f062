package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.catalog.ConfigItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One config item as a request gives it or a version holds it: file, key, value (may be a secret). */
public record ConfigItem(String fileName, String key, String value) {

    public ConfigItem {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(key, "key");
    }

    /** The catalog's default items of every file {@code component} mounts, in catalog order. */
    public static List<ConfigItem> defaultsOf(ApplicationSpec app, ComponentSpec component) {
        List<ConfigItem> out = new ArrayList<>();
        for (ConfigFileSpec file : app.configFilesOf(component)) {
            file.defaults().forEach((k, v) -> out.add(new ConfigItem(file.name(), k, v)));
        }
        return out;
    }

    /** Items grouped by file name, in order (the shape ReleaseSpecs.forInstance takes). */
    public static Map<String, Map<String, String>> byFile(Collection<ConfigItem> items) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (ConfigItem i : items) {
            out.computeIfAbsent(i.fileName(), f -> new LinkedHashMap<>()).put(i.key(), i.value());
        }
        return out;
    }

    /**
     * A RefusedValueException naming {@code field} when {@code items}, all an instance would hold after a change,
     * exceed the per-instance limits of {@link ConfigItems}.
     */
    public static void requireFitOneInstance(String field, String releaseName, Collection<ConfigItem> items) {
        long bytes = 0;
        for (ConfigItem i : items) {
            bytes += ConfigItems.bytesOf(i.key(), i.value());
        }
        ConfigItems.requireInstanceFits(field, releaseName, items.size(), bytes);
    }

    public boolean secret() {
        return ConfigItems.isSecret(key);
    }

    /** The value as it may be shown: {@code ******} for a secret. */
    public String shownValue() {
        return ConfigItems.shown(key, value);
    }

    /** Never prints a secret value (records end up in logs). */
    @Override
    public String toString() {
        return "ConfigItem[" + fileName + ", " + key + "=" + shownValue() + "]";
    }
}
