package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.List;
import java.util.Objects;

/**
 * Everything the runtime needs to render and apply one instance (release) of a component.
 *
 * @param releaseName Kubernetes name of the instance's objects (DNS label, at most 53 characters)
 * @param namespace   the virtual cluster's namespace
 * @param clusterId   the virtual cluster id (label {@code emr-vke.io/cluster-id})
 * @param application application name, e.g. {@code Spark} (label {@code emr-vke.io/application})
 * @param component   component name, e.g. {@code SparkHistoryServer} (label {@code app.kubernetes.io/name})
 * @param chart       chart name, e.g. {@code spark-history-server}
 * @param kind        workload kind the chart renders
 * @param image       image without the registry prefix, e.g. {@code emr/spark:3.5.1}
 * @param replicas    size: pods of a Deployment/StatefulSet, worker pods of a RayCluster
 * @param placement   the nodes every pod may run on
 * @param configFiles config files of the instance
 */
public record ReleaseSpec(String releaseName, String namespace, String clusterId, String application,
                          String component, String chart, WorkloadKind kind, String image, int replicas,
                          NodePlacement placement, List<ConfigFileValues> configFiles) {
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?");

    public ReleaseSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(kind, "kind");
        if (!DNS_LABEL.matcher(releaseName).matches()) {
            throw new IllegalArgumentException("releaseName '" + releaseName
                    + "' must be a DNS label of at most 53 characters (lowercase letters, digits, '-')");
        }
        placement = placement == null ? NodePlacement.ANY_NODE : placement;
        configFiles = configFiles == null ? List.of() : List.copyOf(configFiles);
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0: " + replicas);
        }
    }

    public InstanceRef ref() {
        return new InstanceRef(namespace, releaseName);
    }
}
