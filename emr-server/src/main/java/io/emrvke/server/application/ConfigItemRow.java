package io.emrvke.server.application;

import io.emrvke.server.catalog.ConfigItems;

/**
 * One item of one config version of an instance, as stored (config_items). {@code value} is the
 * clear value, secrets included: only the runtime (the Kubernetes Secret) may see it; everything
 * shown to people goes through {@link #shownValue()} or {@link #redacted()}.
 */
public record ConfigItemRow(String clusterId, String releaseName, int configVersion, String configFileName,
                            String key, String value, boolean secret) {

    public String shownValue() {
        return secret ? ConfigItems.REDACTED : value;
    }

    /** The same row with a secret value replaced by {@code ******}. */
    public ConfigItemRow redacted() {
        return secret ? new ConfigItemRow(clusterId, releaseName, configVersion, configFileName, key,
                ConfigItems.REDACTED, true) : this;
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
