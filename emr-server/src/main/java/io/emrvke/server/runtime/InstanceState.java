package io.emrvke.server.runtime;

/** Observed state of one instance, derived from its workload and pods. */
public enum InstanceState {
    /** Wanted up; not all pods ready or the rollout is not complete yet. */
    STARTING,
    /** Wanted up; every pod ready and up to date. */
    RUNNING,
    /** Wanted down (size 0 / suspended); pods still exist. */
    STOPPING,
    /** Wanted down and no pods left. */
    STOPPED,
    /** Wanted up, but pods crash or cannot start (CrashLoopBackOff, ImagePullBackOff, ...), or KubeRay says failed. */
    FAILED,
    /** No workload seen (yet), or the cache is not synced. */
    UNKNOWN
}
