package io.emrvke.server.operation.engine;

import io.emrvke.server.operation.OperationRepository;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an operation holds while it is unfinished: the whole cluster (cluster-level operations)
 * or a set of instances by release name. Whole-cluster overlaps everything.
 */
public record Targets(boolean whole, Set<String> releaseNames) {

    public Targets {
        releaseNames = Set.copyOf(releaseNames);
        if (!whole && releaseNames.isEmpty()) {
            throw new IllegalArgumentException("an operation must hold the whole cluster or at least one instance");
        }
    }

    public static Targets wholeCluster() {
        return new Targets(true, Set.of());
    }

    public static Targets instances(Set<String> releaseNames) {
        return new Targets(false, releaseNames);
    }

    /** The keys stored in operation_targets: {@code *} for the whole cluster, else the release names. */
    public List<String> keys() {
        return whole ? List.of(OperationRepository.WHOLE_CLUSTER) : List.copyOf(new TreeSet<>(releaseNames));
    }
}
