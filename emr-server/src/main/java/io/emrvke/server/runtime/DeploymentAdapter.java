package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.util.Collection;

/** apps/v1 Deployment: a rolling restart, scale to zero and back. */
final class DeploymentAdapter extends ReplicatedWorkloadAdapter {
    @Override
    public WorkloadKind kind() {
        return WorkloadKind.DEPLOYMENT;
    }

    @Override
    public MixedOperation<? extends HasMetadata, ?, ?> objects(KubernetesClient client) {
        return client.apps().deployments();
    }

    @Override
    public InstanceStatus status(HasMetadata workload, Collection<Pod> pods) {
        return StatusDeriver.ofDeployment((Deployment) workload, pods);
    }
}
