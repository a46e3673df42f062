package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.util.Collection;

/** apps/v1 StatefulSet: a rolling restart (highest ordinal first), scale to zero and back. */
final class StatefulSetAdapter extends ReplicatedWorkloadAdapter {
    @Override
    public WorkloadKind kind() {
        return WorkloadKind.STATEFUL_SET;
    }

    @Override
    public MixedOperation<? extends HasMetadata, ?, ?> objects(KubernetesClient client) {
        return client.apps().statefulSets();
    }

    @Override
    public InstanceStatus status(HasMetadata workload, Collection<Pod> pods) {
        return StatusDeriver.ofStatefulSet((StatefulSet) workload, pods);
    }
}
