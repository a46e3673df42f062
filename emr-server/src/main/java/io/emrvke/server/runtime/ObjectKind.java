package io.emrvke.server.runtime;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * The kinds of object our charts render, in the order they are applied: config and an operator's identity and
 * rights before the workloads that use them (a pod naming a ServiceAccount that does not exist yet is refused).
 */
public enum ObjectKind {
    CONFIG_MAP("", "v1", "ConfigMap", "configmaps"),
    SECRET("", "v1", "Secret", "secrets"),
    SERVICE_ACCOUNT("", "v1", "ServiceAccount", "serviceaccounts"),
    ROLE("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    ROLE_BINDING("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    SERVICE("", "v1", "Service", "services"),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments"),
    STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets"),
    RAY_CLUSTER("ray.io", "v1", "RayCluster", "rayclusters");

    private final ResourceDefinitionContext context;

    ObjectKind(String group, String version, String kind, String plural) {
        this.context = new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
    }

    /** Explicit context, so the client never needs API discovery (the sandbox answers little of it). */
    public ResourceDefinitionContext context() {
        return context;
    }

    public String kind() {
        return context.getKind();
    }

    public String apiVersion() {
        return context.getGroup().isEmpty() ? context.getVersion() : context.getGroup() + "/" + context.getVersion();
    }

    public boolean isWorkload() {
        return this == DEPLOYMENT || this == STATEFUL_SET || this == RAY_CLUSTER;
    }

    public static ObjectKind of(String apiVersion, String kind) {
        for (ObjectKind k : values()) {
            if (k.kind().equals(kind) && k.apiVersion().equals(apiVersion)) {
                return k;
            }
        }
        throw new IllegalArgumentException("charts may render only " + List.of(values()) + ", not " + apiVersion + " " + kind);
    }
}
