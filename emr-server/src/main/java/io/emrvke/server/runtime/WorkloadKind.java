package io.emrvke.server.runtime;

/** How a component runs on Kubernetes; decides how it is restarted, stopped and observed. */
public enum WorkloadKind {
    DEPLOYMENT("apps/v1", "Deployment"),
    STATEFUL_SET("apps/v1", "StatefulSet"),
    RAY_CLUSTER("ray.io/v1", "RayCluster");

    private final String apiVersion;
    private final String kind;

    WorkloadKind(String apiVersion, String kind) {
        this.apiVersion = apiVersion;
        this.kind = kind;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** The Kubernetes {@code kind} of the workload object. */
    public String kind() {
        return kind;
    }

    public ObjectKind objectKind() {
        return switch (this) {
            case DEPLOYMENT -> ObjectKind.DEPLOYMENT;
            case STATEFUL_SET -> ObjectKind.STATEFUL_SET;
            case RAY_CLUSTER -> ObjectKind.RAY_CLUSTER;
        };
    }
}
