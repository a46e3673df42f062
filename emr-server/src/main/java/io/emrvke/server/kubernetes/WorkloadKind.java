package io.emrvke.server.kubernetes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes object that runs a component: the one list of workload kinds, read by the catalog (its
 * {@code workloadKind}) and the runtime (which has one adapter per kind). Adding a kind starts here.
 */
public enum WorkloadKind {
    DEPLOYMENT("apps", "v1", "Deployment", "deployments", null, 1),
    STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets", null, 1),
    /** KubeRay's custom resource; {@code replicas} counts workers, the head is always one pod, so 0 is a size. */
    RAY_CLUSTER("ray.io", "v1", "RayCluster", "rayclusters", "KubeRay", 0);

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final String operator;
    private final int defaultReplicas;

    WorkloadKind(String group, String version, String kind, String plural, String operator,
                 int defaultReplicas) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.operator = operator;
        this.defaultReplicas = defaultReplicas;
    }

    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    /** The Kubernetes {@code kind} of the workload object. */
    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The spelling in catalog files and responses: the Kubernetes {@code kind}. */
    public String wireName() {
        return kind;
    }

    /** The CRD that must be installed before the kind can be deployed or watched; empty for built-in kinds. */
    public Optional<String> crd() {
        return operator().map(o -> plural + "." + group);
    }

    /** The operator that brings the CRD and runs the custom resource; empty for built-in kinds. */
    public Optional<String> operator() {
        return Optional.ofNullable(operator);
    }

    /** The size a catalog component has when it names none. */
    public int defaultReplicas() {
        return defaultReplicas;
    }

    public static Optional<WorkloadKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.kind.equalsIgnoreCase(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(WorkloadKind::wireName).toList();
    }
}
