package io.emrvke.server.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What the operation engine does on one Kubernetes target. Every method is idempotent (a step re-run after a
 * crash is safe); blocking methods return when the target reached the goal or throw {@link RuntimeFailure}
 * (TIMEOUT with the pods' reasons, API_REJECTED with the API's message, MISSING_CRD, ...).
 */
public interface ClusterRuntime extends AutoCloseable {
    String targetName();

    /** Creates the namespace of a virtual cluster if missing (labels are added on create only). */
    void ensureNamespace(String namespace, Map<String, String> labels);

    /** Deletes every object we manage in the namespace, then the namespace (no cascade on every API server). */
    void deleteNamespace(String namespace);

    /** Renders the release and creates/updates each object; deletes the release's objects no longer rendered. */
    ApplyResult apply(ReleaseSpec spec);

    /** Deletes every object labelled with the release (workloads first), and its pods. */
    int deleteRelease(InstanceRef ref);

    /**
     * Rolls every pod of the instance and waits until all are ready again. A workload that already carries
     * {@code token} is not patched again (ALREADY_DONE). Use {@link RestartTokens#now()} for a new token.
     */
    ActionResult restart(InstanceRef ref, String token, Duration timeout);

    /** Scales to zero (remembering the size) / suspends, and waits for no pods. */
    ActionResult stop(InstanceRef ref, Duration timeout);

    /** Restores the size / resumes, and waits until ready; ALREADY_DONE "already running" when up. */
    ActionResult start(InstanceRef ref, Duration timeout);

    /** Current status from the watch cache (no API call). */
    InstanceStatus status(InstanceRef ref);

    /** Status of every managed instance on the target, from the watch cache. */
    Map<InstanceRef, InstanceStatus> statuses();

    /** Called on every status change seen by the watches. */
    void onStatusChange(BiConsumer<InstanceRef, InstanceStatus> listener);

    /** Completes when the status satisfies the condition; fails with TIMEOUT and the pods' reasons. */
    CompletableFuture<InstanceStatus> await(InstanceRef ref, String goal, Predicate<InstanceStatus> condition, Duration timeout);

    /** Blocks until RUNNING (rollout complete, every pod ready). */
    InstanceStatus awaitRunning(InstanceRef ref, Duration timeout);

    TargetHealth health();

    @Override
    void close();
}
