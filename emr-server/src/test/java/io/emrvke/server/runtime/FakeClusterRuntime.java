package io.emrvke.server.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A {@link ClusterRuntime} without Kubernetes, for testing step executors: it records every call in order
 * ({@link #calls()}) and keeps one status per instance, changed as a settled controller would change it.
 * Like the real runtime, a restart with the token the workload already carries is ALREADY_DONE, a stop of a
 * stopped instance and a start of a running one are ALREADY_DONE, and a restart leaves a stopped instance
 * stopped. {@link #podsFail} makes every wait for ready pods fail with TIMEOUT naming the pods' state, as the
 * real runtime's wait does; {@link #refuse} makes one action fail with the given failure.
 */
public final class FakeClusterRuntime implements ClusterRuntime {
    public static final int SIZE = 2;

    private final String name;
    private final List<String> calls = new ArrayList<>();
    private final List<ReleaseSpec> applied = new ArrayList<>();
    private final Map<InstanceRef, InstanceStatus> statuses = new HashMap<>();
    private final Map<InstanceRef, String> podFailures = new HashMap<>();
    private final Map<String, RuntimeFailure> refusals = new HashMap<>();

    public FakeClusterRuntime(String name) {
        this.name = name;
    }

    // --- set-up and what was seen ------------------------------------------------------------

    /** The instance exists with every pod ready, carrying no restart token. */
    public synchronized FakeClusterRuntime running(InstanceRef ref) {
        statuses.put(ref, status(InstanceState.RUNNING, SIZE, null, null));
        return this;
    }

    /** The instance exists scaled to zero / suspended, no pods left. */
    public synchronized FakeClusterRuntime stopped(InstanceRef ref) {
        statuses.put(ref, status(InstanceState.STOPPED, 0, null, null));
        return this;
    }

    /** From its next rollout (first apply, restart, start) on, the instance's pods never get ready, for this reason. */
    public synchronized FakeClusterRuntime podsFail(InstanceRef ref, String podState) {
        podFailures.put(ref, podState);
        return this;
    }

    /** From now on {@code action} ("apply", "restart", "stop", "start") throws {@code failure}. */
    public synchronized FakeClusterRuntime refuse(String action, RuntimeFailure failure) {
        refusals.put(action, failure);
        return this;
    }

    /** Every call so far, in order, e.g. {@code restart ns/ray-a 2026-01-01T00:00:00.000Z}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Every release applied so far, in order. */
    public synchronized List<ReleaseSpec> applied() {
        return List.copyOf(applied);
    }

    // --- ClusterRuntime ----------------------------------------------------------------------

    @Override
    public String targetName() {
        return name;
    }

    @Override
    public synchronized void ensureNamespace(String namespace, Map<String, String> labels) {
        record("ensureNamespace " + namespace);
    }

    @Override
    public synchronized void deleteNamespace(String namespace) {
        record("deleteNamespace " + namespace);
        statuses.keySet().removeIf(ref -> ref.namespace().equals(namespace));
    }

    @Override
    public synchronized ApplyResult apply(ReleaseSpec spec) {
        record("apply " + spec.ref());
        refused("apply");
        applied.add(spec);
        // applying keeps a stopped instance stopped and never rolls pods
        if (!statuses.containsKey(spec.ref())) {
            statuses.put(spec.ref(), rolledOut(spec.ref(), spec.replicas(), null));
        }
        return new ApplyResult("checksum-" + applied.size(), List.of(), List.of(), List.of(), List.of(), 0);
    }

    @Override
    public synchronized int deleteRelease(InstanceRef ref) {
        record("deleteRelease " + ref);
        return statuses.remove(ref) == null ? 0 : 1;
    }

    @Override
    public synchronized ActionResult restart(InstanceRef ref, String token, Duration timeout) {
        record("restart " + ref + " " + token);
        refused("restart");
        InstanceStatus now = existing(ref);
        if (token.equals(now.restartToken())) {
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, token, now,
                    "already restarted with token " + token);
        }
        if (now.state() == InstanceState.STOPPED) {
            statuses.put(ref, status(InstanceState.STOPPED, 0, token, ref));
        } else {
            statuses.put(ref, rolledOut(ref, SIZE, token));
            requireReady(ref, "be ready", timeout);
        }
        return new ActionResult(ActionResult.Outcome.APPLIED, token, statuses.get(ref), null);
    }

    @Override
    public synchronized ActionResult stop(InstanceRef ref, Duration timeout) {
        return toward("stop", ref, InstanceState.STOPPED, now -> status(InstanceState.STOPPED, 0, now.restartToken(), ref),
                timeout);
    }

    @Override
    public synchronized ActionResult start(InstanceRef ref, Duration timeout) {
        return toward("start", ref, InstanceState.RUNNING, now -> rolledOut(ref, SIZE, now.restartToken()), timeout);
    }

    @Override
    public synchronized InstanceStatus status(InstanceRef ref) {
        record("status " + ref);
        return statuses.getOrDefault(ref, InstanceStatus.unknown("no workload seen"));
    }

    @Override
    public synchronized Map<InstanceRef, InstanceStatus> statuses() {
        return Map.copyOf(statuses);
    }

    @Override
    public void onStatusChange(BiConsumer<InstanceRef, InstanceStatus> listener) {
        // statuses change only through the calls above, which callers see returned
    }

    @Override
    public synchronized CompletableFuture<InstanceStatus> await(InstanceRef ref, String goal,
                                                                Predicate<InstanceStatus> condition, Duration timeout) {
        record("await " + ref + " " + goal);
        InstanceStatus now = statuses.getOrDefault(ref, InstanceStatus.unknown("no workload seen"));
        return condition.test(now) ? CompletableFuture.completedFuture(now)
                : CompletableFuture.failedFuture(timedOut(ref, goal, timeout, now.message()));
    }

    @Override
    public synchronized InstanceStatus awaitRunning(InstanceRef ref, Duration timeout) {
        record("awaitRunning " + ref);
        requireReady(ref, "be ready", timeout);
        return existing(ref);
    }

    @Override
    public TargetHealth health() {
        return new TargetHealth(name, true, "fake", true, true, null);
    }

    @Override
    public void close() {
        // holds nothing
    }

    // --- helpers -----------------------------------------------------------------------------

    private void record(String call) {
        calls.add(call);
    }

    private void refused(String action) {
        RuntimeFailure failure = refusals.get(action);
        if (failure != null) {
            throw failure;
        }
    }

    /** Stop or start: ALREADY_DONE when the instance is in {@code goal} already, else it moves and is waited for. */
    private ActionResult toward(String action, InstanceRef ref, InstanceState goal,
                                UnaryOperator<InstanceStatus> next, Duration timeout) {
        record(action + " " + ref);
        refused(action);
        InstanceStatus now = existing(ref);
        if (now.state() == goal) {
            return new ActionResult(ActionResult.Outcome.ALREADY_DONE, null, now,
                    goal == InstanceState.RUNNING ? "already running" : "already stopped");
        }
        statuses.put(ref, next.apply(now));
        if (goal == InstanceState.RUNNING) {
            requireReady(ref, "be ready", timeout);
        }
        return new ActionResult(ActionResult.Outcome.APPLIED, null, statuses.get(ref), null);
    }

    private InstanceStatus existing(InstanceRef ref) {
        InstanceStatus now = statuses.get(ref);
        if (now == null) {
            throw new RuntimeFailure(RuntimeFailure.Reason.NOT_FOUND, "no workload of " + ref);
        }
        return now;
    }

    /** What the controller settles to after a rollout: every pod ready, or FAILED with the pods' state. */
    private InstanceStatus rolledOut(InstanceRef ref, int pods, String token) {
        String podState = podFailures.get(ref);
        return podState == null ? status(InstanceState.RUNNING, pods, token, ref)
                : new InstanceStatus(InstanceState.FAILED, pods, 0, null, ref.releaseName(), podState, 1, 1, pods,
                false, token);
    }

    /** A wait for ready pods: it times out naming the pods' state when they fail. */
    private void requireReady(InstanceRef ref, String goal, Duration timeout) {
        InstanceStatus now = existing(ref);
        if (now.state() != InstanceState.RUNNING) {
            throw timedOut(ref, goal, timeout, now.message());
        }
    }

    /** Worded as the real runtime's wait words it. */
    private static RuntimeFailure timedOut(InstanceRef ref, String goal, Duration timeout, String why) {
        return new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "timed out after " + timeout.toSeconds()
                + "s waiting for " + ref.releaseName() + " to " + goal + ": " + why);
    }

    private static InstanceStatus status(InstanceState state, int pods, String token, InstanceRef ref) {
        return new InstanceStatus(state, pods, pods, null, ref == null ? null : ref.releaseName(), null, 1, 1, pods,
                true, token);
    }
}
