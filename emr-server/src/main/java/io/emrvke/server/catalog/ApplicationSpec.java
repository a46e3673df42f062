package io.emrvke.server.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An application of a release.
 *
 * @param name        canonical name, e.g. {@code Ray}
 * @param version     the application's version in this release, e.g. {@code 2.39.0}
 * @param dependsOn   canonical names of applications of the same release it needs deployed
 * @param components  in catalog order: operators before what they manage (start/restart order;
 *                    stop goes in reverse)
 * @param configFiles every file its items may name ({@code __envs__} included)
 */
public record ApplicationSpec(String name, String version, List<String> dependsOn, List<ComponentSpec> components,
        List<ConfigFileSpec> configFiles) {

    public ApplicationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        dependsOn = List.copyOf(dependsOn);
        components = List.copyOf(components);
        configFiles = List.copyOf(configFiles);
    }

    /** Case-insensitive lookup; the spec carries the canonical name. */
    public Optional<ComponentSpec> component(String componentName) {
        return Names.find(components, ComponentSpec::name, componentName);
    }

    /** The component, or a RefusedValueException naming {@code fieldName} and this application's components. */
    public ComponentSpec requireComponent(String fieldName, String componentName) {
        return Names.require(components, ComponentSpec::name, RefusedValueException::new, fieldName,
                componentName, "a component of " + name);
    }

    public Optional<ConfigFileSpec> configFile(String fileName) {
        return Names.find(configFiles, ConfigFileSpec::name, fileName);
    }

    /** The config file, or a RefusedValueException naming {@code fieldName} and this application's files. */
    public ConfigFileSpec requireConfigFile(String fieldName, String fileName) {
        return Names.require(configFiles, ConfigFileSpec::name, RefusedValueException::new, fieldName,
                fileName, "a config file of " + name);
    }

    public List<String> componentNames() {
        return components.stream().map(ComponentSpec::name).toList();
    }

    public List<String> configFileNames() {
        return configFiles.stream().map(ConfigFileSpec::name).toList();
    }

    /** The files {@code component} mounts, in the order it lists them. */
    public List<ConfigFileSpec> configFilesOf(ComponentSpec component) {
        return component.configFiles().stream().map(f -> configFile(f).orElseThrow()).toList();
    }

    /** The file of this name (any case) that {@code component} mounts, with the catalog's spelling. */
    public Optional<ConfigFileSpec> mountedFile(ComponentSpec component, String fileName) {
        return configFilesOf(component).stream().filter(f -> f.name().equalsIgnoreCase(fileName)).findFirst();
    }

    public boolean dependsOn(String applicationName) {
        return dependsOn.stream().anyMatch(d -> d.equalsIgnoreCase(applicationName));
    }
}
