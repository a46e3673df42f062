package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** apps/v1 Deployment: a rolling restart, scale to zero and back. */
final class DeploymentAdapter extends ReplicatedWorkloadAdapter {
    DeploymentAdapter() {
        super(WorkloadKind.DEPLOYMENT, client -> client.apps().deployments(),
                (workload, pods) -> StatusDeriver.ofDeployment((Deployment) workload, pods));
    }
}
