package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instance states of one target, kept fresh by informers (Pods, and each workload kind's objects labelled
 * {@code app.kubernetes.io/managed-by=emr-vke}); waiters are completed by the events, never by polling.
 * Informers list then watch (every object arrives as ADDED first, also on reconnect), and resync periodically,
 * so a missed event is corrected at the next resync.
 */
public final class InstanceCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceCache.class);
    private static final String BY_RELEASE = "release";
    private static final long RESYNC_MS = Duration.ofMinutes(2).toMillis();

    private final KubernetesClient client;
    private final Map<InstanceRef, InstanceStatus> statuses = new ConcurrentHashMap<>();
    private final Map<InstanceRef, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final List<BiConsumer<InstanceRef, InstanceStatus>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "instance-cache-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final Object refreshLock = new Object();
    private volatile SharedIndexInformer<Pod> pods;
    /** One informer per watched workload kind; a custom resource's only once its CRD is known to be served. */
    private final Map<WorkloadKind, SharedIndexInformer<? extends HasMetadata>> workloads = new ConcurrentHashMap<>();

    public InstanceCache(KubernetesClient client) {
        this.client = client;
    }

    /** Starts the informers for pods and the built-in workload kinds; returns once their first list is in the cache. */
    public synchronized void start(Duration syncTimeout) {
        if (pods != null) {
            return;
        }
        SharedIndexInformer<Pod> podInformer = client.pods().inAnyNamespace()
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .withIndexers(Map.of(BY_RELEASE, pod -> releaseKey(pod)))
                .runnableInformer(RESYNC_MS);
        podInformer.addEventHandler(handler(this::refOfPod));
        Map<WorkloadKind, SharedIndexInformer<? extends HasMetadata>> builtIn = new LinkedHashMap<>();
        for (WorkloadAdapter adapter : WorkloadAdapters.all()) {
            if (adapter.kind().crd().isEmpty()) {
                builtIn.put(adapter.kind(), informer(adapter));
            }
        }
        List<SharedIndexInformer<?>> all = new ArrayList<>(builtIn.values());
        all.add(podInformer);
        try {
            awaitSynced(all, syncTimeout);
        } catch (RuntimeFailure e) {
            // an informer whose first list failed or timed out has stopped for good: the next start lists anew
            all.forEach(SharedIndexInformer::close);
            throw e;
        }
        workloads.putAll(builtIn);
        pods = podInformer;
        refreshAll();
    }

    private SharedIndexInformer<? extends HasMetadata> informer(WorkloadAdapter adapter) {
        SharedIndexInformer<? extends HasMetadata> informer = adapter.objects(client).inAnyNamespace()
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).runnableInformer(RESYNC_MS);
        informer.addEventHandler(handler(InstanceCache::refOfWorkload));
        return informer;
    }

    /** After a (re)sync: derive every instance the stores know, so listeners hear of all of them. */
    private void refreshAll() {
        List<HasMetadata> objects = new ArrayList<>();
        workloads.values().forEach(informer -> objects.addAll(informer.getStore().list()));
        objects.forEach(w -> refresh(refOfWorkload(w)));
    }

    /** Starts the informer of a custom-resource kind (only once the target is known to serve its CRD). */
    public synchronized void startWatching(WorkloadKind kind, Duration syncTimeout) {
        if (workloads.containsKey(kind)) {
            return;
        }
        var informer = informer(WorkloadAdapters.of(kind));
        try {
            awaitSynced(List.of(informer), syncTimeout);
        } catch (RuntimeFailure e) {
            informer.close(); // stopped for good, as in start: the next call lists anew
            throw e;
        }
        workloads.put(kind, informer);
        refreshAll();
    }

    public boolean watches(WorkloadKind kind) {
        return workloads.containsKey(kind);
    }

    public boolean synced() {
        var p = pods;
        return p != null && p.hasSynced() && workloads.values().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Latest known status of an instance; UNKNOWN when it has no workload (or before sync). */
    public InstanceStatus status(InstanceRef ref) {
        if (!synced()) {
            return InstanceStatus.unknown("the watch cache of the target is not synced yet");
        }
        return statuses.computeIfAbsent(ref, this::derive);
    }

    /** Every instance the cache has seen a workload for. */
    public Map<InstanceRef, InstanceStatus> statuses() {
        Map<InstanceRef, InstanceStatus> all = new HashMap<>();
        statuses.forEach((ref, st) -> {
            if (st.state() != InstanceState.UNKNOWN) {
                all.put(ref, st);
            }
        });
        return all;
    }

    /** Called with (ref, new status) whenever an instance's derived status changes. */
    public void addListener(BiConsumer<InstanceRef, InstanceStatus> listener) {
        listeners.add(listener);
    }

    /**
     * Completes with the first status matching the predicate; fails after the timeout with a
     * {@link RuntimeFailure.Reason#TIMEOUT} naming the goal and the last status' message.
     */
    public CompletableFuture<InstanceStatus> await(InstanceRef ref, String goal, Predicate<InstanceStatus> condition,
                                                   Duration timeout) {
        Waiter waiter = new Waiter(goal, condition, new CompletableFuture<>());
        waiters.computeIfAbsent(ref, r -> new CopyOnWriteArrayList<>()).add(waiter);
        var timer = timers.schedule(() -> waiter.future.completeExceptionally(timeout(ref, goal, timeout)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        waiter.future.whenComplete((s, e) -> {
            timer.cancel(false);
            List<Waiter> list = waiters.get(ref);
            if (list != null) {
                list.remove(waiter);
            }
        });
        refresh(ref); // the condition may already hold
        return waiter.future;
    }

    private RuntimeFailure timeout(InstanceRef ref, String goal, Duration timeout) {
        InstanceStatus last = statuses.getOrDefault(ref, derive(ref));
        String why = last.message() != null ? last.message() : "state is " + last.state();
        return new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "timed out after " + human(timeout) + " waiting for "
                + ref.releaseName() + " to " + goal + ": " + why);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Re-derives the status of one instance from the informer stores and fires waiters and listeners. */
    void refresh(InstanceRef ref) {
        if (!synced()) {
            return;
        }
        synchronized (refreshLock) {
            refreshLocked(ref);
        }
    }

    private void refreshLocked(InstanceRef ref) {
        InstanceStatus status = derive(ref);
        InstanceStatus previous = status.state() == InstanceState.UNKNOWN ? statuses.remove(ref) : statuses.put(ref, status);
        if (!status.equals(previous)) {
            for (var listener : listeners) {
                try {
                    listener.accept(ref, status);
                } catch (RuntimeException e) {
                    log.warn("instance status listener failed for {}", ref, e);
                }
            }
        }
        for (Waiter w : waiters.getOrDefault(ref, List.of())) {
            if (w.condition.test(status)) {
                w.future.complete(status);
            }
        }
    }

    private InstanceStatus derive(InstanceRef ref) {
        String key = ref.namespace() + "/" + ref.releaseName();
        List<Pod> podsOf = pods == null ? List.of() : pods.getIndexer().byIndex(BY_RELEASE, key);
        for (WorkloadAdapter adapter : WorkloadAdapters.all()) {
            var informer = workloads.get(adapter.kind());
            HasMetadata workload = informer == null ? null : informer.getStore().getByKey(key);
            if (workload != null) {
                return adapter.status(workload, podsOf);
            }
        }
        return InstanceStatus.unknown(podsOf.isEmpty() ? "no workload " + ref + " on the target"
                : "no workload " + ref + " on the target; " + podsOf.size() + " pods left");
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, InstanceRef> refOf) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                route(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                route(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                route(obj);
            }

            private void route(T obj) {
                InstanceRef ref = refOf.apply(obj);
                if (ref != null) {
                    try {
                        refresh(ref);
                    } catch (RuntimeException e) {
                        log.warn("cannot derive the status of {}", ref, e);
                    }
                }
            }
        };
    }

    private InstanceRef refOfPod(Pod pod) {
        String release = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.INSTANCE);
        return release == null ? null : new InstanceRef(pod.getMetadata().getNamespace(), release);
    }

    private static InstanceRef refOfWorkload(HasMetadata workload) {
        return new InstanceRef(workload.getMetadata().getNamespace(), workload.getMetadata().getName());
    }

    private static List<String> releaseKey(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String release = labels == null ? null : labels.get(Labels.INSTANCE);
        return release == null ? List.of() : List.of(pod.getMetadata().getNamespace() + "/" + release);
    }

    private static void awaitSynced(List<? extends SharedIndexInformer<?>> informers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (var informer : informers) {
            started.add(informer.start().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.API_UNAVAILABLE,
                    "cannot list and watch the target's workloads: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public synchronized void close() {
        if (pods != null) {
            pods.close();
        }
        workloads.values().forEach(SharedIndexInformer::close);
        timers.shutdownNow();
        waiters.values().forEach(list -> list.forEach(w -> w.future.completeExceptionally(
                new RuntimeFailure(RuntimeFailure.Reason.API_UNAVAILABLE, "the target was closed"))));
    }

    private record Waiter(String goal, Predicate<InstanceStatus> condition, CompletableFuture<InstanceStatus> future) {
    }
}
