package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of object our charts render, in the order they are applied: config and an operator's identity and
 * rights before the workloads that use them (a pod naming a ServiceAccount that does not exist yet is refused).
 * The workload kinds come from {@link WorkloadKind}, one each, so a new workload kind needs no entry here.
 */
public final class ObjectKind implements Comparable<ObjectKind> {
    public static final ObjectKind CONFIG_MAP = new ObjectKind("", "v1", "ConfigMap", "configmaps", null);
    public static final ObjectKind SECRET = new ObjectKind("", "v1", "Secret", "secrets", null);
    public static final ObjectKind SERVICE_ACCOUNT = new ObjectKind("", "v1", "ServiceAccount", "serviceaccounts", null);
    public static final ObjectKind ROLE = new ObjectKind("rbac.authorization.k8s.io", "v1", "Role", "roles", null);
    public static final ObjectKind ROLE_BINDING = new ObjectKind("rbac.authorization.k8s.io", "v1", "RoleBinding",
            "rolebindings", null);
    public static final ObjectKind SERVICE = new ObjectKind("", "v1", "Service", "services", null);

    private static final Map<WorkloadKind, ObjectKind> WORKLOADS = Arrays.stream(WorkloadKind.values())
            .collect(Collectors.toUnmodifiableMap(Function.identity(),
                    w -> new ObjectKind(w.group(), w.version(), w.kind(), w.plural(), w)));
    private static final List<ObjectKind> APPLY_ORDER = applyOrder();

    private final ResourceDefinitionContext context;
    private final WorkloadKind workload;

    private ObjectKind(String group, String version, String kind, String plural, WorkloadKind workload) {
        this.context = new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true)
                .build();
        this.workload = workload;
    }

    private static List<ObjectKind> applyOrder() {
        List<ObjectKind> order = new ArrayList<>(List.of(CONFIG_MAP, SECRET, SERVICE_ACCOUNT, ROLE, ROLE_BINDING, SERVICE));
        Arrays.stream(WorkloadKind.values()).map(WORKLOADS::get).forEach(order::add);
        return List.copyOf(order);
    }

    public static ObjectKind of(WorkloadKind workload) {
        return WORKLOADS.get(workload);
    }

    /** Every kind, in apply order. */
    public static List<ObjectKind> all() {
        return APPLY_ORDER;
    }

    /** Workloads first, so no controller recreates pods while their config goes away. */
    public static List<ObjectKind> deletionOrder() {
        List<ObjectKind> order = new ArrayList<>(APPLY_ORDER);
        Collections.reverse(order);
        return order;
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
        return workload != null;
    }

    /** The workload kind this is, or null for config, identity and network objects. */
    public WorkloadKind workload() {
        return workload;
    }

    public static ObjectKind of(String apiVersion, String kind) {
        for (ObjectKind k : APPLY_ORDER) {
            if (k.kind().equals(kind) && k.apiVersion().equals(apiVersion)) {
                return k;
            }
        }
        throw new IllegalArgumentException("charts may render only " + APPLY_ORDER + ", not " + apiVersion + " " + kind);
    }

    @Override
    public int compareTo(ObjectKind other) {
        return Integer.compare(APPLY_ORDER.indexOf(this), APPLY_ORDER.indexOf(other));
    }

    @Override
    public String toString() {
        return kind();
    }
}
