package io.emrvke.server.application;

import io.emrvke.server.catalog.ConfigItems;

/**
 * One item of one config version of an instance (config_items). {@code value} is the clear
 * value, secrets included (the store holds them sealed): only the runtime (the Kubernetes Secret) may see it; everything
 * shown to people goes through {@link #shownValue()} or {@link #redacted()}.
 */
public record ConfigItemRow(String clusterId, String releaseName, int configVersion, String configFileName,
                            String key, String value, boolean secret) {

    public String shownValue() {
        return secret ? ConfigItems.REDACTED : value;
    }

    /** The same row with a secret value replaced by {@code ******}. */
    public ConfigItemRow redacted() {
        return secret ? withValue(ConfigItems.REDACTED) : this;
    }

    /** The same row with another value (the clear one of a sealed secret, or its mask). */
    public ConfigItemRow withValue(String newValue) {
        return new ConfigItemRow(clusterId, releaseName, configVersion, configFileName, key, newValue, secret);
    }

    public ConfigItem item() {
        return new ConfigItem(configFileName, key, value);
    }

    @Override
    public String toString() {
        return "ConfigItemRow[" + clusterId + "/" + releaseName + " v" + configVersion + " " + configFileName + " "
                + key + "=" + shownValue() + "]";
    }
}
