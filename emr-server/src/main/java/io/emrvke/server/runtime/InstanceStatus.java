package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;

/**
 * What the watch cache knows about one instance.
 *
 * @param state              derived state
 * @param replicas           desired pods (RayCluster: head + workers; 0 when stopped)
 * @param readyReplicas      ready pods
 * @param workloadKind       kind of the workload, null when unknown
 * @param workloadName       name of the workload object
 * @param message            why it is not RUNNING/STOPPED, e.g. "2 of 3 pods of ray-1-worker not ready: CrashLoopBackOff"
 * @param generation         metadata.generation of the workload
 * @param observedGeneration status.observedGeneration (a kind without one reports its generation)
 * @param pods               pods that exist for the instance, terminating ones included
 * @param rolloutComplete    the controller has caught up with the latest spec and every pod is updated and ready
 * @param restartToken       the restart token the pod templates carry (kubectl.kubernetes.io/restartedAt), or null
 */
public record InstanceStatus(InstanceState state, int replicas, int readyReplicas, WorkloadKind workloadKind,
                             String workloadName, String message, long generation, long observedGeneration,
                             int pods, boolean rolloutComplete, String restartToken) {

    public static InstanceStatus unknown(String message) {
        return new InstanceStatus(InstanceState.UNKNOWN, 0, 0, null, null, message, 0, 0, 0, false, null);
    }

    /** The controller has seen at least this generation of the spec. */
    public boolean observed(long atLeastGeneration) {
        return generation >= atLeastGeneration && observedGeneration >= atLeastGeneration;
    }
}
