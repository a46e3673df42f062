package io.emrvke.server.catalog;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import java.util.Objects;

/**
 * A component of an application as the catalog describes it.
 *
 * @param name             canonical name, e.g. {@code RayCluster}
 * @param workloadKind     the Kubernetes object that runs it
 * @param chart            the Helm chart rendering it; a lower-case DNS label, unique within a release,
 *                         also the prefix of default instance names ({@link #defaultInstanceName})
 * @param image            the upstream image reference, e.g. {@code rayproject/ray:2.39.0} (registry host only where
 *                         it is not Docker Hub, e.g. {@code quay.io/kuberay/operator:v1.1.1})
 * @param replicas         default size; for a RayCluster the worker count (the head is always one pod)
 * @param multiInstance    whether more instances can be created (CreateComponentInstance)
 * @param supportedActions the actions RunApplicationAction may run on it, in start/stop/restart order
 * @param configFiles      names of the application's config files this component mounts
 */
public record ComponentSpec(String name, WorkloadKind workloadKind, String chart, String image, int replicas,
        boolean multiInstance, List<ComponentAction> supportedActions, List<String> configFiles) {

    public ComponentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workloadKind, "workloadKind");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(image, "image");
        supportedActions = List.copyOf(supportedActions);
        configFiles = List.copyOf(configFiles);
    }

    public boolean supports(ComponentAction action) {
        return supportedActions.contains(action);
    }

    /** Nothing, or an UnsupportedActionException naming {@code fieldName} and the supported actions. */
    public void requireSupports(String fieldName, ComponentAction action) {
        if (!supports(action)) {
            throw new UnsupportedActionException(fieldName + " '" + action.wireName()
                    + "' is not supported by component " + name + "; supported: "
                    + String.join(", ", supportedActions.stream().map(ComponentAction::wireName).toList()) + ".");
        }
    }

    public boolean mounts(String configFileName) {
        return configFiles.stream().anyMatch(f -> f.equalsIgnoreCase(configFileName));
    }

    /** The name of the instance DeployApplications creates: {@code <chart>-<clusterSuffix>}, e.g. {@code raycluster-4f2a}. */
    public String defaultInstanceName(String clusterSuffix) {
        return chart + "-" + clusterSuffix;
    }
}
