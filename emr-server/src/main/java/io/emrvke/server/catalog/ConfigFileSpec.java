package io.emrvke.server.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A config file of an application: its name as used in {@code ConfigFileName}, the format it is
 * rendered in, and its default items (key → value, in catalog order; never a secret).
 */
public record ConfigFileSpec(String name, ConfigFormat format, Map<String, String> defaults) {
    /** The pseudo-file of container environment variables every application has. */
    public static final String ENVS = "__envs__";

    public ConfigFileSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults == null ? Map.of() : defaults));
    }

    public Optional<String> defaultValue(String key) {
        return Optional.ofNullable(defaults.get(key));
    }

    public boolean isEnvs() {
        return ENVS.equals(name);
    }
}
