package io.emrvke.server.application;

import io.emrvke.server.catalog.ApplicationSpec;
import io.emrvke.server.catalog.ComponentSpec;
import io.emrvke.server.catalog.ConfigFileSpec;
import io.emrvke.server.kubernetes.WorkloadKind;
import io.emrvke.server.runtime.ConfigFileValues;
import io.emrvke.server.runtime.ConfigFormat;
import io.emrvke.server.runtime.NodePlacement;
import io.emrvke.server.runtime.ReleaseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Catalog → runtime: what the runtime must render for one instance of a catalog component. The catalog and
 * the runtime each keep their own enums (the catalog speaks the wire, the runtime speaks Kubernetes); they
 * are mapped here, and nowhere else.
 *
 * <p>Helm-values items keep the catalog's flat keys ({@code worker_replicas}, {@code cpu_requirements}...):
 * the charts read them (see charts/README.md). The one the runtime itself needs is the RayCluster worker count,
 * which is also the instance's size: {@value #WORKER_REPLICAS} decides {@link ReleaseSpec#replicas()}.
 */
public final class ReleaseSpecs {
    /** Helm-values item holding a RayCluster's worker count. */
    public static final String WORKER_REPLICAS = "worker_replicas";

    private ReleaseSpecs() {
    }

    /**
     * The spec to apply for an instance.
     *
     * @param clusterId         virtual cluster id (label)
     * @param namespace         the virtual cluster's namespace
     * @param releaseName       the instance's name (DNS label, at most 53 characters)
     * @param app               the application in the cluster's release
     * @param component         the component of {@code app} the instance runs
     * @param configItemsByFile the instance's current items by config file name (any case); they override the
     *                          catalog defaults key by key, a null value removes a default; files the component
     *                          does not mount are ignored. May be null or empty (catalog defaults only).
     * @param placement         the nodes every pod may run on (null: any node)
     * @throws InvalidConfigValueException when {@value #WORKER_REPLICAS} is not a count
     * @throws IllegalArgumentException   when the release name is not a DNS label
     */
    public static ReleaseSpec forInstance(String clusterId, String namespace, String releaseName, ApplicationSpec app,
                                          ComponentSpec component, Map<String, Map<String, String>> configItemsByFile,
                                          NodePlacement placement) {
        List<ConfigFileValues> files = configFiles(app, component, configItemsByFile);
        WorkloadKind kind = component.workloadKind();
        return new ReleaseSpec(releaseName, namespace, clusterId, app.name(), component.name(), component.chart(),
                kind, component.image(), size(kind, component, files), placement, files);
    }

    /** The files the component mounts, in its order, each with defaults overridden by the instance's items. */
    public static List<ConfigFileValues> configFiles(ApplicationSpec app, ComponentSpec component,
                                                     Map<String, Map<String, String>> configItemsByFile) {
        List<ConfigFileValues> files = new ArrayList<>();
        for (ConfigFileSpec file : app.configFilesOf(component)) {
            Map<String, String> items = new LinkedHashMap<>(file.defaults());
            boolean helmValues = file.format() == io.emrvke.server.catalog.ConfigFormat.HELM_VALUES;
            itemsOf(configItemsByFile, file.name()).forEach((key, value) -> {
                if (value == null) {
                    items.remove(key);
                } else {
                    // helm values are typed from their text ("3" is a number): no stray blanks
                    items.put(key, helmValues ? value.strip() : value);
                }
            });
            files.add(new ConfigFileValues(file.name(), configFormat(file.format()), items));
        }
        return files;
    }

    public static ConfigFormat configFormat(io.emrvke.server.catalog.ConfigFormat format) {
        return switch (format) {
            case HELM_VALUES -> ConfigFormat.HELM_VALUES;
            case PROPERTIES -> ConfigFormat.PROPERTIES;
            case XML -> ConfigFormat.XML;
            case YAML -> ConfigFormat.YAML;
            case ENV -> ConfigFormat.ENV;
        };
    }

    private static Map<String, String> itemsOf(Map<String, Map<String, String>> byFile, String fileName) {
        if (byFile == null) {
            return Map.of();
        }
        Map<String, String> merged = new LinkedHashMap<>();
        byFile.forEach((name, items) -> {
            if (name != null && name.equalsIgnoreCase(fileName) && items != null) {
                merged.putAll(items);
            }
        });
        return merged;
    }

    /** Pods of a Deployment/StatefulSet; workers of a RayCluster ({@value #WORKER_REPLICAS} when set). */
    private static int size(WorkloadKind kind, ComponentSpec component, List<ConfigFileValues> files) {
        if (kind != WorkloadKind.RAY_CLUSTER) {
            return component.replicas();
        }
        for (ConfigFileValues file : files) {
            String workers = file.format() == ConfigFormat.HELM_VALUES ? file.items().get(WORKER_REPLICAS) : null;
            if (workers != null) {
                return workerCount(file.fileName(), workers);
            }
        }
        return component.replicas();
    }

    private static int workerCount(String fileName, String value) {
        try {
            int count = Integer.parseInt(value.strip());
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigValueException("ConfigItemValue of " + fileName + " " + WORKER_REPLICAS
                + " must be a whole number of workers (0 or more), got '" + value + "'.");
    }
}
