package io.emrvke.server.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The Kubernetes object that runs a component; the runtime has one adapter per kind. */
public enum WorkloadKind {
    DEPLOYMENT("Deployment", "apps/v1"),
    STATEFUL_SET("StatefulSet", "apps/v1"),
    /** KubeRay's custom resource; {@code replicas} counts workers, the head is always one pod. */
    RAY_CLUSTER("RayCluster", "ray.io/v1");

    private final String wireName;
    private final String apiVersion;

    WorkloadKind(String wireName, String apiVersion) {
        this.wireName = wireName;
        this.apiVersion = apiVersion;
    }

    /** The spelling in catalog files and responses, also the Kubernetes {@code kind}. */
    public String wireName() {
        return wireName;
    }

    public String kind() {
        return wireName;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public static Optional<WorkloadKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equalsIgnoreCase(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(WorkloadKind::wireName).toList();
    }
}
