package io.emrvke.bench;

import static io.emrvke.bench.BenchOperations.awaitEnd;
import static io.emrvke.bench.BenchOperations.requireSuccess;

import io.emrvke.api.client.EmrClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The restart benches' instances: extra RayCluster instances of one head pod each (no workers, 100m CPU, 256Mi),
 * so restarting one is suspend → no pods → resume → one pod ready, and fifty of them fit the real control plane
 * of e2e/realk8s (three nodes of 4 CPUs) and the sandbox (three nodes of 16Gi, whose scheduler counts requests:
 * fifty heads of the default 2Gi left the last ones Pending) beside the cluster's own RayCluster.
 */
final class RayInstances {
    private static final List<Map<String, String>> ONE_SMALL_HEAD = List.of(
            Map.of("ConfigFileName", "ray-cluster-values.yaml", "ConfigItemKey", "worker_replicas", "ConfigItemValue", "0"),
            Map.of("ConfigFileName", "ray-cluster-values.yaml", "ConfigItemKey", "head_cpu", "ConfigItemValue", "100m"),
            Map.of("ConfigFileName", "ray-cluster-values.yaml", "ConfigItemKey", "head_memory", "ConfigItemValue", "256Mi"));

    private RayInstances() {
    }

    /** {@code count} instances bench-01.. made by CreateComponentInstance side by side; their names once SUCCESS. */
    static List<String> create(EmrClient client, String clusterId, int count) {
        List<String> names = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = String.format(Locale.ROOT, "bench-%02d", i);
            names.add(name);
            operations.add(client.call("CreateComponentInstance", Map.of("ClusterId", clusterId,
                    "ApplicationName", "Ray", "ComponentName", "RayCluster", "ReleaseName", name,
                    "ApplicationConfigs", ONE_SMALL_HEAD)).path("Result").path("OperationId").asText());
        }
        operations.forEach(id -> requireSuccess(awaitEnd(client, id, 100)));
        return names;
    }

    /**
     * A RunApplicationAction restart of the {@code names} instances in batches of {@code batchSize}. The
     * {@code remark} must differ per request: the same signed request sent again within its X-Date second would
     * be answered as a replay, not run.
     */
    static Map<String, Object> restart(String clusterId, List<String> names, int batchSize, String remark) {
        return Map.of("ClusterId", clusterId, "ActionName", "restart", "ActionScope", "COMPONENT",
                "Components", List.of(Map.of("ApplicationName", "Ray", "ComponentNames", List.of("RayCluster"))),
                "ActionParams", List.of(Map.of("Key", "releaseName", "Value", String.join(",", names)),
                        Map.of("Key", "batchSize", "Value", String.valueOf(batchSize))),
                "Remark", remark);
    }
}
