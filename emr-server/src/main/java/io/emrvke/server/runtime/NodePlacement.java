package io.emrvke.server.runtime;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which nodes a release's pods may run on: those whose node label {@code label} holds one of {@code pools}.
 *
 * <p>One pool renders as a nodeSelector, as every cluster got before several pools were allowed, so
 * re-rendering those clusters changes no object (no rollout). A nodeSelector matches one value only, so two
 * or more pools render as a required node affinity ({@code label In pools}).
 *
 * @param label the node label naming a node's pool; null when {@code pools} is empty
 * @param pools the pools in the order given, without repeats; empty: any node
 */
public record NodePlacement(String label, List<String> pools) {
    /** No pools: the scheduler may use any node. */
    public static final NodePlacement ANY_NODE = new NodePlacement(null, List.of());

    public NodePlacement {
        pools = pools == null ? List.of() : List.copyOf(new LinkedHashSet<>(pools));
        if (!pools.isEmpty() && (label == null || label.isBlank())) {
            throw new IllegalArgumentException("node pools " + pools + " need the node label that names a pool");
        }
    }

    /** The pod spec's {@code nodeSelector}: {label: pool} for exactly one pool, else empty. */
    public Map<String, String> nodeSelector() {
        return pools.size() == 1 ? Map.of(label, pools.get(0)) : Map.of();
    }

    /**
     * The pod spec's {@code affinity} for two or more pools, else empty:
     * {@code nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]} with the one
     * expression {@code label In pools}.
     */
    public Map<String, Object> affinity() {
        if (pools.size() < 2) {
            return Map.of();
        }
        Map<String, Object> inPools = new LinkedHashMap<>();
        inPools.put("key", label);
        inPools.put("operator", "In");
        inPools.put("values", pools);
        Map<String, Object> term = Map.of("matchExpressions", List.of(inPools));
        Map<String, Object> required = Map.of("nodeSelectorTerms", List.of(term));
        return Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution", required));
    }
}
