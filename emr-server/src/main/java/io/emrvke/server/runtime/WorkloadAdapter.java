package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Everything the runtime knows about one {@link WorkloadKind}: how its objects are watched and read into an
 * {@link InstanceStatus}, where its pod templates are, which spec fields a real API server refuses, and how an
 * instance of it is restarted, stopped and started. One implementation per kind, listed in {@link WorkloadAdapters};
 * {@link KubernetesRuntime} composes them and never asks which kind it has.
 */
public interface WorkloadAdapter {
    WorkloadKind kind();

    /** The objects of this kind, typed where fabric8 has a type (the watch cache lists and watches them). */
    MixedOperation<? extends HasMetadata, ?, ?> objects(KubernetesClient client);

    /** The instance's status from its workload object, as {@link #objects} yields it, and its pods (pure). */
    InstanceStatus status(HasMetadata workload, Collection<Pod> pods);

    /** JSON pointers (RFC 6901) of the pod templates the workload owns, for reading and patching them. */
    List<String> podTemplatePointers(GenericKubernetesResource workload);

    /** Adds to {@code check} what a real API server (or the kind's operator) would refuse in the spec. */
    void checkSpec(ObjectValidation check, Map<String, Object> spec);

    /** Applying a new revision over a stopped instance keeps it stopped: writes the live stop into {@code update}. */
    void keepStopped(GenericKubernetesResource live, GenericKubernetesResource update);

    /**
     * Rolls every pod and waits until all are ready again; ALREADY_DONE when the workload already carries
     * {@code token}, so a step re-run after a crash finishes the same restart.
     */
    ActionResult restart(LiveWorkload workload, String token, Duration timeout);

    /** Stops every pod (remembering how to start again) and waits for none; ALREADY_DONE when stopped. */
    ActionResult stop(LiveWorkload workload, Duration timeout);

    /** Starts a stopped instance and waits until it is ready; ALREADY_DONE "already running" when up. */
    ActionResult start(LiveWorkload workload, Duration timeout);
}
