package io.emrvke.server.operation;

import java.util.List;

/**
 * The filters of ListOperations; empty lists and nulls mean "any". The creation-time window is
 * half-open: {@code createTimeAfter <= CreateTime < createTimeBefore}.
 */
public record OperationFilter(List<String> clusterIds, List<OperationState> states, List<OperationName> names,
                              Long createTimeAfter, Long createTimeBefore) {

    public OperationFilter {
        clusterIds = clusterIds == null ? List.of() : List.copyOf(clusterIds);
        states = states == null ? List.of() : List.copyOf(states);
        names = names == null ? List.of() : List.copyOf(names);
    }

    public static OperationFilter none() {
        return new OperationFilter(List.of(), List.of(), List.of(), null, null);
    }

    /** True when nothing is filtered: every operation of the account. */
    public boolean isNone() {
        return clusterIds.isEmpty() && states.isEmpty() && names.isEmpty() && createTimeAfter == null
                && createTimeBefore == null;
    }
}
