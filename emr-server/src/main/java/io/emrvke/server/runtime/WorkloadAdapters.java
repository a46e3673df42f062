package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The adapter of every {@link WorkloadKind}; a kind without one fails here, at class load, not mid-operation. */
public final class WorkloadAdapters {
    private static final Map<WorkloadKind, WorkloadAdapter> BY_KIND = register(
            new DeploymentAdapter(), new StatefulSetAdapter(), new RayClusterAdapter());
    private static final List<WorkloadAdapter> ALL = List.copyOf(BY_KIND.values());

    private WorkloadAdapters() {
    }

    private static Map<WorkloadKind, WorkloadAdapter> register(WorkloadAdapter... adapters) {
        Map<WorkloadKind, WorkloadAdapter> byKind = new EnumMap<>(WorkloadKind.class);
        for (WorkloadAdapter adapter : adapters) {
            if (byKind.put(adapter.kind(), adapter) != null) {
                throw new IllegalStateException("two adapters for workload kind " + adapter.kind());
            }
        }
        List<WorkloadKind> missing = new ArrayList<>(Arrays.asList(WorkloadKind.values()));
        missing.removeAll(byKind.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("workload kinds without a runtime adapter: " + missing);
        }
        return byKind;
    }

    public static WorkloadAdapter of(WorkloadKind kind) {
        return BY_KIND.get(kind);
    }

    /** Every adapter, in {@link WorkloadKind} order. */
    public static List<WorkloadAdapter> all() {
        return ALL;
    }
}
