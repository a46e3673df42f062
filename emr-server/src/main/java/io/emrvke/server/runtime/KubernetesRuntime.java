package io.emrvke.server.runtime;

import io.emrvke.server.kubernetes.WorkloadKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes driver for one target (a real cluster or the sandbox), over the fabric8 client.
 * Writes use create/update (PUT, with strict field validation: a field the API server does not know is an error,
 * not silently dropped) and JSON merge / JSON patches only (no strategic merge, no server-side apply);
 * label selectors are equalities only; reads for waiting come from the {@link InstanceCache}.
 */
public final class KubernetesRuntime implements ClusterRuntime {
    private static final Logger log = LoggerFactory.getLogger(KubernetesRuntime.class);
    public static final String RAY_CRD = WorkloadKind.RAY_CLUSTER.crd().orElseThrow();
    /** Metadata annotation of a workload recording the last restart token (KubeRay has no restart verb). */
    public static final String RESTART_TOKEN = "emr-vke.io/restart-token";
    /** How long a CRD just created or upgraded may take until the API server serves its kinds. */
    private static final Duration CRDS_SERVED_TIMEOUT = Duration.ofSeconds(30);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON = PatchContext.of(PatchType.JSON);
    private static final List<WorkloadKind> CUSTOM_KINDS = Arrays.stream(WorkloadKind.values())
            .filter(k -> k.crd().isPresent()).toList();

    private final String targetName;
    private final KubernetesClient client;
    private final ChartRenderer renderer;
    private final Retry retry;
    private final InstanceCache cache;
    private final CrdInstaller crds;
    private final Duration syncTimeout;
    /** Whether each custom-resource workload kind's CRD is served, as last checked. */
    private final Map<WorkloadKind, Boolean> crdServed = new ConcurrentHashMap<>();
    private volatile boolean started;
    private CompletableFuture<Void> starting;
    private volatile String startFailure;

    /**
     * @param client      owned by the runtime from now on ({@link #close()} closes it)
     * @param syncTimeout bound of the first list of each informer in {@link #start()}
     */
    public KubernetesRuntime(String targetName, KubernetesClient client, ChartRenderer renderer, Retry retry,
                             Duration syncTimeout) {
        this.targetName = Objects.requireNonNull(targetName);
        this.client = Objects.requireNonNull(client);
        this.renderer = Objects.requireNonNull(renderer);
        this.retry = Objects.requireNonNull(retry);
        this.syncTimeout = syncTimeout;
        this.cache = new InstanceCache(client);
        this.crds = new CrdInstaller(targetName, client, retry, CRDS_SERVED_TIMEOUT);
    }

    public KubernetesRuntime(String targetName, KubernetesClient client, ChartRenderer renderer) {
        this(targetName, client, renderer, Retry.defaults(), Duration.ofSeconds(30));
    }

    /**
     * Starts the watches (a custom resource's only if its CRD is installed); returns once the cache is synced.
     * Throws {@link RuntimeFailure} (API_UNAVAILABLE) when the target cannot be reached; calling it again retries.
     */
    public synchronized KubernetesRuntime start() {
        if (started) {
            return this;
        }
        cache.start(syncTimeout);
        for (WorkloadKind kind : CUSTOM_KINDS) {
            if (checkCrd(kind)) {
                cache.startWatching(kind, syncTimeout);
            } else {
                log.warn("target {}: {} CRD {} is not installed; {} components cannot be deployed there",
                        targetName, kind.kind(), kind.crd().orElseThrow(), kind.kind());
            }
        }
        started = true;
        return this;
    }

    public boolean started() {
        return started;
    }

    /** Starts in the background (registration must not block server start on a slow or unreachable target). */
    public synchronized CompletableFuture<Void> startAsync() {
        if (started) {
            return CompletableFuture.completedFuture(null);
        }
        if (starting == null || starting.isDone()) {
            starting = CompletableFuture.runAsync(() -> {
                try {
                    start();
                    startFailure = null;
                } catch (RuntimeException e) {
                    startFailure = e.getMessage();
                    log.warn("target {}: cannot start watching yet: {}", targetName, e.getMessage());
                    throw e;
                }
            }, r -> {
                Thread t = new Thread(r, "target-start-" + targetName);
                t.setDaemon(true);
                t.start();
            });
        }
        return starting;
    }

    /** Every call that needs the watch cache first (re)tries to start it: a target down at boot recovers. */
    private void ensureStarted() {
        if (!started) {
            start();
        }
    }

    @Override
    public String targetName() {
        return targetName;
    }

    public KubernetesClient client() {
        return client;
    }

    // ---------------------------------------------------------------- namespaces

    @Override
    public void ensureNamespace(String namespace, Map<String, String> labels) {
        if (retry.call("get namespace " + namespace, () -> client.namespaces().withName(namespace).get()) != null) {
            return;
        }
        Map<String, String> all = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        all.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        try {
            retry.call("create namespace " + namespace, () -> client.namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName(namespace).withLabels(all).endMetadata().build()).create());
        } catch (RuntimeFailure e) {
            if (!isConflict(e)) {
                throw e;
            }
        }
    }

    @Override
    public void deleteNamespace(String namespace) {
        for (ObjectKind kind : deletionOrder()) {
            retry.run("delete " + kind.kind() + "s in " + namespace, () -> ops(kind).inNamespace(namespace)
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).delete());
        }
        retry.run("delete pods in " + namespace, () -> client.pods().inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).delete());
        retry.run("delete namespace " + namespace, () -> client.namespaces().withName(namespace).delete());
    }

    // ---------------------------------------------------------------- releases

    @Override
    public ApplyResult apply(ReleaseSpec spec) {
        ensureStarted();
        installCrdsOf(spec.chart());
        if (spec.kind().crd().isPresent()) {
            requireCrd(spec.kind());
        }
        RenderedRelease rendered = renderer.render(spec);
        ObjectValidation.requireValid(rendered);
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Set<String> rendered_ = new HashSet<>();
        for (GenericKubernetesResource object : rendered.objects()) {
            ObjectKind kind = ObjectKind.of(object.getApiVersion(), object.getKind());
            String id = kind.kind() + "/" + object.getMetadata().getName();
            rendered_.add(id);
            switch (applyObject(kind, object)) {
                case CREATED -> created.add(id);
                case UPDATED -> updated.add(id);
                case UNCHANGED -> unchanged.add(id);
            }
        }
        List<String> deleted = prune(spec.ref(), rendered_);
        log.info("target {}: applied {} (created {}, updated {}, unchanged {}, deleted {})", targetName, spec.ref(),
                created, updated, unchanged.size(), deleted);
        return new ApplyResult(rendered.configChecksum(), created, updated, unchanged, deleted,
                TimeUnit.NANOSECONDS.toMillis(rendered.renderNanos()));
    }

    private enum Applied { CREATED, UPDATED, UNCHANGED }

    private Applied applyObject(ObjectKind kind, GenericKubernetesResource desired) {
        String name = desired.getMetadata().getName();
        String namespace = desired.getMetadata().getNamespace();
        String hash = hash(desired);
        Map<String, String> annotations = new LinkedHashMap<>(
                desired.getMetadata().getAnnotations() == null ? Map.of() : desired.getMetadata().getAnnotations());
        annotations.put(Labels.APPLIED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        Resource<GenericKubernetesResource> resource = ops(kind).inNamespace(namespace).withName(name);
        for (int attempt = 1; ; attempt++) {
            GenericKubernetesResource existing = retry.call("get " + kind.kind() + " " + name, resource::get);
            try {
                if (existing == null) {
                    retry.call("create " + kind.kind() + " " + name, () -> ops(kind).inNamespace(namespace)
                            .resource(desired).fieldValidation(Validation.STRICT).create());
                    return Applied.CREATED;
                }
                if (hash.equals(ObjectFields.annotation(existing, Labels.APPLIED_HASH))) {
                    return Applied.UNCHANGED;
                }
                GenericKubernetesResource update = preserveLiveState(kind, desired, existing);
                retry.call("update " + kind.kind() + " " + name, () -> ops(kind).inNamespace(namespace).resource(update)
                        .fieldValidation(Validation.STRICT).update());
                return Applied.UPDATED;
            } catch (RuntimeFailure e) {
                if (!isConflict(e) || attempt >= 5) {
                    throw e;
                }
                // someone else wrote in between (or created it first): read again and retry
            }
        }
    }

    /**
     * The update to PUT: the new revision, keeping what the live object owns — resourceVersion, status (a PUT
     * must not wipe it), a Service's clusterIP (immutable), a stopped instance's size 0 / suspend, and the pod
     * templates' restart token and config checksum, so that applying a revision never rolls pods by itself:
     * the restart step does, in its batch.
     */
    private GenericKubernetesResource preserveLiveState(ObjectKind kind, GenericKubernetesResource desired,
                                                        GenericKubernetesResource live) {
        GenericKubernetesResource update = client.getKubernetesSerialization().clone(desired);
        update.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        if (live.getAdditionalProperties().get("status") != null) {
            update.getAdditionalProperties().put("status", live.getAdditionalProperties().get("status"));
        }
        if (kind == ObjectKind.SERVICE) {
            copySpecField(live, update, "clusterIP");
            copySpecField(live, update, "clusterIPs");
        }
        if (kind.isWorkload()) {
            preserveTemplates(live, update);
            WorkloadAdapters.of(kind.workload()).keepStopped(live, update);
            String token = ObjectFields.annotation(live, RESTART_TOKEN);
            if (token != null) {
                update.getMetadata().getAnnotations().put(RESTART_TOKEN, token);
            }
        }
        return update;
    }

    private static void preserveTemplates(GenericKubernetesResource live, GenericKubernetesResource update) {
        List<Map<String, Object>> liveTemplates = PodTemplates.of(live);
        List<Map<String, Object>> newTemplates = PodTemplates.of(update);
        for (int i = 0; i < Math.min(liveTemplates.size(), newTemplates.size()); i++) {
            Map<String, String> was = PodTemplates.annotations(liveTemplates.get(i));
            Map<String, String> now = PodTemplates.annotations(newTemplates.get(i));
            for (String key : List.of(Labels.RESTARTED_AT, Labels.CONFIG_CHECKSUM)) {
                if (was.get(key) != null) {
                    now.put(key, was.get(key));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void copySpecField(GenericKubernetesResource from, GenericKubernetesResource to, String field) {
        Object value = PodTemplates.spec(from).get(field);
        if (value != null) {
            ((Map<String, Object>) to.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>())).put(field, value);
        }
    }

    private List<String> prune(InstanceRef ref, Set<String> keep) {
        List<String> deleted = new ArrayList<>();
        for (ObjectKind kind : deletionOrder()) {
            for (GenericKubernetesResource live : listRelease(kind, ref)) {
                String id = kind.kind() + "/" + live.getMetadata().getName();
                if (!keep.contains(id)) {
                    retry.run("delete " + id, () -> ops(kind).inNamespace(ref.namespace())
                            .withName(live.getMetadata().getName()).delete());
                    deleted.add(id);
                }
            }
        }
        return deleted;
    }

    @Override
    public int deleteRelease(InstanceRef ref) {
        int deleted = 0;
        for (ObjectKind kind : deletionOrder()) {
            for (GenericKubernetesResource live : listRelease(kind, ref)) {
                retry.run("delete " + kind.kind() + " " + live.getMetadata().getName(), () -> ops(kind)
                        .inNamespace(ref.namespace()).withName(live.getMetadata().getName()).delete());
                deleted++;
            }
        }
        // Pods go by garbage collection on a real cluster; delete them too where there is none.
        retry.run("delete pods of " + ref, () -> client.pods().inNamespace(ref.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).withLabel(Labels.INSTANCE, ref.releaseName()).delete());
        return deleted;
    }

    private List<GenericKubernetesResource> listRelease(ObjectKind kind, InstanceRef ref) {
        return retry.call("list " + kind.kind() + "s of " + ref, () -> ops(kind).inNamespace(ref.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .withLabel(Labels.INSTANCE, ref.releaseName()).list().getItems());
    }

    /** Workloads first, so no controller recreates pods while their config goes away. */
    private List<ObjectKind> deletionOrder() {
        return ObjectKind.deletionOrder().stream().filter(k -> !k.isWorkload() || served(k.workload())).toList();
    }

    // ---------------------------------------------------------------- lifecycle actions

    @Override
    public ActionResult restart(InstanceRef ref, String token, Duration timeout) {
        ensureStarted();
        Objects.requireNonNull(token, "token");
        Live w = workload(ref);
        return w.adapter().restart(w, token, timeout);
    }

    @Override
    public ActionResult stop(InstanceRef ref, Duration timeout) {
        ensureStarted();
        Live w = workload(ref);
        return w.adapter().stop(w, timeout);
    }

    @Override
    public ActionResult start(InstanceRef ref, Duration timeout) {
        ensureStarted();
        Live w = workload(ref);
        return w.adapter().start(w, timeout);
    }

    // ---------------------------------------------------------------- observation

    @Override
    public InstanceStatus status(InstanceRef ref) {
        return cache.status(ref);
    }

    @Override
    public Map<InstanceRef, InstanceStatus> statuses() {
        return cache.statuses();
    }

    @Override
    public void onStatusChange(BiConsumer<InstanceRef, InstanceStatus> listener) {
        cache.addListener(listener);
    }

    @Override
    public CompletableFuture<InstanceStatus> await(InstanceRef ref, String goal, Predicate<InstanceStatus> condition, Duration timeout) {
        ensureStarted();
        return cache.await(ref, goal, condition, timeout);
    }

    @Override
    public InstanceStatus awaitRunning(InstanceRef ref, Duration timeout) {
        ensureStarted();
        return waitFor(ref, "be ready", s -> s.state() == InstanceState.RUNNING, timeout);
    }

    private InstanceStatus waitFor(InstanceRef ref, String goal, Predicate<InstanceStatus> condition, Duration timeout) {
        try {
            return cache.await(ref, goal, condition, timeout).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeFailure f) {
                throw f;
            }
            throw new RuntimeFailure(RuntimeFailure.Reason.API_UNAVAILABLE, "waiting for " + ref + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "timed out waiting for " + ref + " to " + goal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(RuntimeFailure.Reason.TIMEOUT, "interrupted while waiting for " + ref + " to " + goal);
        }
    }

    @Override
    public TargetHealth health() {
        String version;
        try {
            version = CompletableFuture.supplyAsync(() -> client.getKubernetesVersion().getGitVersion())
                    .get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new TargetHealth(targetName, false, null, served(WorkloadKind.RAY_CLUSTER), cache.synced(),
                    "API server unreachable: " + rootMessage(e));
        }
        if (!started) {
            startAsync();
            return new TargetHealth(targetName, true, version, served(WorkloadKind.RAY_CLUSTER), false,
                    startFailure == null ? "starting the watch cache" : "cannot watch the target: " + startFailure);
        }
        List<WorkloadKind> missing = CUSTOM_KINDS.stream().filter(k -> !served(k) && !checkCrdQuietly(k)).toList();
        String message = !cache.synced() ? "watch cache not synced"
                : missing.isEmpty() ? null : missing.stream().map(k -> k.kind() + " CRD " + k.crd().orElseThrow()
                        + " is not installed: install " + k.operator().orElseThrow() + " to deploy " + k.kind() + "s")
                        .collect(Collectors.joining("; "));
        return new TargetHealth(targetName, true, version, served(WorkloadKind.RAY_CLUSTER), cache.synced(), message);
    }

    // ---------------------------------------------------------------- CRDs

    /** The CRDs the chart carries, present and served before its objects (an operator's before the operator). */
    private void installCrdsOf(String chart) {
        ChartCrds chartCrds = renderer.charts().crds(chart);
        if (chartCrds.isEmpty()) {
            return;
        }
        crds.ensure(chartCrds);
        for (WorkloadKind kind : CUSTOM_KINDS) {
            boolean carried = chartCrds.definitions().stream().anyMatch(d -> d.name().equals(kind.crd().orElseThrow()));
            if (carried && !served(kind)) {
                requireCrd(kind); // starts the kind's watch now that it is served
            }
        }
    }

    // ---------------------------------------------------------------- custom-resource CRDs

    /** Built-in kinds always; a custom resource when its CRD was found served. */
    private boolean served(WorkloadKind kind) {
        return kind.crd().isEmpty() || Boolean.TRUE.equals(crdServed.get(kind));
    }

    /** Whether the target serves the kind's CRD (asked of the API now). */
    private boolean checkCrd(WorkloadKind kind) {
        String crd = kind.crd().orElseThrow();
        boolean present;
        try {
            present = retry.call("get CRD " + crd,
                    () -> client.apiextensions().v1().customResourceDefinitions().withName(crd).get()) != null;
        } catch (RuntimeFailure e) {
            if (!(e.getCause() instanceof KubernetesClientException k) || k.getCode() != 403) {
                throw e;
            }
            present = resourceServed(kind); // no right to read CRDs: ask the resource itself
        }
        crdServed.put(kind, present);
        return present;
    }

    /** {@link #checkCrd}, starting the kind's watch when it is newly served; false when the target cannot tell. */
    private boolean checkCrdQuietly(WorkloadKind kind) {
        try {
            boolean present = checkCrd(kind);
            if (present && !cache.watches(kind)) {
                cache.startWatching(kind, syncTimeout);
            }
            return present;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean resourceServed(WorkloadKind kind) {
        try {
            client.genericKubernetesResources(ObjectKind.of(kind).context()).inAnyNamespace()
                    .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void requireCrd(WorkloadKind kind) {
        if (!served(kind) && !checkCrd(kind)) {
            throw new RuntimeFailure(RuntimeFailure.Reason.MISSING_CRD, "target " + targetName + " has no " + kind.kind()
                    + " CRD (" + kind.crd().orElseThrow() + "): install the " + kind.operator().orElseThrow()
                    + " operator's CRDs before deploying " + kind.kind() + "s");
        }
        if (!cache.watches(kind)) {
            cache.startWatching(kind, syncTimeout);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** An instance's workload as its adapter sees it: patched and awaited through this runtime. */
    private record Live(KubernetesRuntime runtime, WorkloadAdapter adapter, InstanceRef ref,
                        GenericKubernetesResource object) implements LiveWorkload {
        @Override
        public GenericKubernetesResource mergePatch(Map<String, Object> patch) {
            return runtime.mergePatch(ObjectKind.of(adapter.kind()), ref, patch);
        }

        @Override
        public GenericKubernetesResource jsonPatch(List<Map<String, Object>> ops) {
            return runtime.jsonPatch(ObjectKind.of(adapter.kind()), ref, ops);
        }

        @Override
        public InstanceStatus waitFor(String goal, Predicate<InstanceStatus> condition, Duration timeout) {
            return runtime.waitFor(ref, goal, condition, timeout);
        }

        @Override
        public InstanceStatus status() {
            return runtime.cache.status(ref);
        }
    }

    /** The instance's workload, read from the API (not the cache) so decisions use the latest spec. */
    private Live workload(InstanceRef ref) {
        for (WorkloadAdapter adapter : WorkloadAdapters.all()) {
            if (!served(adapter.kind())) {
                continue;
            }
            ObjectKind kind = ObjectKind.of(adapter.kind());
            GenericKubernetesResource object = retry.call("get " + kind.kind() + " " + ref,
                    () -> ops(kind).inNamespace(ref.namespace()).withName(ref.releaseName()).get());
            if (object != null && Labels.MANAGED_BY_VALUE.equals(ObjectFields.label(object, Labels.MANAGED_BY))) {
                return new Live(this, adapter, ref, object);
            }
        }
        throw new RuntimeFailure(RuntimeFailure.Reason.NOT_FOUND, "instance " + ref + " has no workload on target " + targetName);
    }

    private GenericKubernetesResource mergePatch(ObjectKind kind, InstanceRef ref, Map<String, Object> patch) {
        String json = client.getKubernetesSerialization().asJson(patch);
        return retry.call("patch " + kind.kind() + " " + ref, () -> ops(kind).inNamespace(ref.namespace())
                .withName(ref.releaseName()).patch(MERGE, json));
    }

    private GenericKubernetesResource jsonPatch(ObjectKind kind, InstanceRef ref, List<Map<String, Object>> ops) {
        String json = client.getKubernetesSerialization().asJson(ops);
        return retry.call("patch " + kind.kind() + " " + ref, () -> ops(kind).inNamespace(ref.namespace())
                .withName(ref.releaseName()).patch(JSON, json));
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops(ObjectKind kind) {
        return client.genericKubernetesResources(kind.context());
    }

    private String hash(GenericKubernetesResource object) {
        try {
            byte[] json = client.getKubernetesSerialization().asJson(object).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isConflict(RuntimeFailure e) {
        return e.getCause() instanceof KubernetesClientException k && k.getCode() == 409;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        cache.close();
        client.close();
    }
}
