package io.emrvke.server.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How the items of a config file are rendered for the component that mounts it. */
public enum ConfigFormat {
    /** Helm values of the component's chart. */
    HELM_VALUES("helm-values"),
    /** {@code key=value} lines (Java properties, spark-defaults.conf, zoo.cfg). */
    PROPERTIES("properties"),
    /** Hadoop-style {@code <configuration><property><name/><value/></property>...}. */
    XML("xml"),
    /** A flat YAML mapping of key to string. */
    YAML("yaml"),
    /** Container environment variables ({@code __envs__}). */
    ENV("env");

    private final String wireName;

    ConfigFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ConfigFormat> fromWire(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equalsIgnoreCase(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ConfigFormat::wireName).toList();
    }
}
