package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** apps/v1 StatefulSet: a rolling restart (highest ordinal first), scale to zero and back. */
final class StatefulSetAdapter extends ReplicatedWorkloadAdapter {
    StatefulSetAdapter() {
        super(WorkloadKind.STATEFUL_SET, client -> client.apps().statefulSets(),
                (workload, pods) -> StatusDeriver.ofStatefulSet((StatefulSet) workload, pods));
    }
}
