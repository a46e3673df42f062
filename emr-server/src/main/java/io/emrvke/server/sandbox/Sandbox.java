package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.emrvke.server.store.PrivateFiles;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded sandbox Kubernetes cluster: a Kubernetes API over plain HTTP on a loopback port
 * (fabric8's CRUD mock server behind {@link SandboxDispatcher}) plus simulated controllers,
 * scheduler and kubelet. With a data dir, its objects survive a restart.
 *
 * <pre>
 * try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(200))) {
 *     sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
 *     ... talk to sandbox.url() like to any cluster ...
 * }
 * </pre>
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    /** The mock web server logs every request at INFO through java.util.logging; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    // after a failed save (e.g. a full disk), how soon to try again
    private static final long SAVE_RETRY_MS = 1_000;
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final SandboxConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of());
    private final SandboxDispatcher dispatcher;
    private final ObjectStore store;
    private final ControlLoop loop = new ControlLoop();
    private final PodLogs podLogs = new PodLogs();
    private final EventRecorder events;
    private final StateFile stateFile;
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-snapshot");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean saveFailing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private KubernetesMockServer server;
    private volatile int port;

    private Sandbox(SandboxConfig config) {
        this.config = config;
        ResourceCatalog catalog = new ResourceCatalog(json, this::customResourceDefinitions,
                () -> config.bind() + ":" + port);
        this.dispatcher = new SandboxDispatcher(crud, catalog, json);
        this.store = new ObjectStore(dispatcher);
        this.events = new EventRecorder(store, loop::busy);
        this.stateFile = config.dataDir() == null ? null
                : new StateFile(config.dataDir().resolve(SandboxConfig.STATE_FILE), json);
    }

    /** Starts the API server and its controllers; returns once it answers requests. */
    public static Sandbox start(SandboxConfig config) throws IOException {
        Sandbox sandbox = new Sandbox(config);
        try {
            sandbox.boot();
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    private void boot() throws IOException {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        int restored = restoreState();
        ClusterSeed.apply(store);
        dispatcher.markBoot();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getByName(config.bind()), config.port());
        port = server.getPort();
        ResourceCatalog catalog = new ResourceCatalog(json, this::customResourceDefinitions, () -> config.bind() + ":" + port);
        Scheduler scheduler = new Scheduler(() -> store.list("/api/v1/nodes"));
        Kubelet kubelet = new Kubelet(store, loop, scheduler, events, podLogs, config.podReadyMs());
        NamespaceReaper reaper = new NamespaceReaper(store, catalog, this::allObjects);
        GarbageCollector gc = new GarbageCollector(store, loop, (ref, ns) -> pathOf(catalog, ref.path("apiVersion").asText(),
                ref.path("kind").asText(), ns, ref.path("name").asText()));
        ChangeRouter router = new ChangeRouter(store, loop, kubelet, events, gc, reaper, this::markDirty);
        dispatcher.listen(router);
        List<JsonNode> all = allObjects();
        ResourceCatalog kinds = catalog.frozen();
        gc.seed(all, (obj, ns) -> pathOf(kinds, obj.path("apiVersion").asText(), obj.path("kind").asText(), ns, Pods.name(obj)));
        events.adopt(all.stream().filter(o -> "Event".equals(o.path("kind").asText())).toList());
        router.resyncNamespace(null); // pods found on disk go through the kubelet again
        markDirty();
        LOG.info("sandbox Kubernetes API at {} ({} objects restored{})", url(), restored,
                stateFile == null ? ", in memory" : " from " + stateFile.path());
    }

    public String url() {
        return "http://" + config.bind() + ":" + port;
    }

    public int port() {
        return port;
    }

    public SandboxConfig config() {
        return config;
    }

    /** The simulated containers' logs, for the API's {@code pods/{name}/log}. */
    public PodLogs podLogs() {
        return podLogs;
    }

    /** The API path of an object of that kind and name, or null for a kind the sandbox does not serve. */
    private static String pathOf(ResourceCatalog catalog, String apiVersion, String kind, String namespace, String name) {
        return catalog.byKind(apiVersion, kind).map(t -> t.collectionPath(namespace) + "/" + name).orElse(null);
    }

    /** A kubeconfig with cluster, user and context {@code sandbox} pointing at {@link #url()}. */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                users:
                - name: sandbox
                  user: {}
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: default
                current-context: sandbox
                preferences: {}
                """.formatted(url());
    }

    /** Writes {@link #kubeconfig()} to {@code file}, 0600 (parent directories created 0700). */
    public Path writeKubeconfig(Path file) throws IOException {
        PrivateFiles.writeString(file, kubeconfig());
        return file;
    }

    /** Writes the state file now (no-op in memory). */
    public void flush() {
        if (stateFile == null) {
            return;
        }
        dirty.set(false);
        try {
            stateFile.save(dispatcher.copyAll());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sandbox state " + stateFile.path(), e);
        }
    }

    /** Stops controllers and the API server, after writing the state file. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        dispatcher.listen((m, p, r) -> { });
        loop.close();
        events.close();
        snapshots.shutdownNow();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("sandbox state not saved: {}", e.getMessage());
        }
        if (server != null) {
            server.destroy();
        }
    }

    private void markDirty() {
        if (stateFile != null && dirty.compareAndSet(false, true)) {
            try {
                snapshots.schedule(this::flushQuietly, config.snapshotDelayMs(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: close() writes the final state
            }
        }
    }

    /** A failed save is tried again until it works: otherwise the file stays stale until the next change. */
    private void flushQuietly() {
        try {
            flush();
            if (saveFailing) {
                saveFailing = false;
                LOG.info("sandbox state saved again");
            }
        } catch (RuntimeException e) {
            if (!saveFailing) {
                saveFailing = true;
                LOG.warn("sandbox state not saved: {}; retrying every {} ms", e.getMessage(), SAVE_RETRY_MS);
            }
            retrySave();
        }
    }

    private void retrySave() {
        dirty.set(true);
        try {
            snapshots.schedule(this::flushQuietly, SAVE_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: close() writes the final state
        }
    }

    private int restoreState() throws IOException {
        if (stateFile == null) {
            return 0;
        }
        List<JsonNode> objects = new ArrayList<>(stateFile.load());
        objects.sort(Comparator.comparingInt(Sandbox::restoreOrder));
        // The CRDs restored are those of the state file (restored first): no need to read them back per object.
        List<JsonNode> crds = objects.stream().filter(o -> restoreOrder(o) == 0).toList();
        ResourceCatalog catalog = new ResourceCatalog(json, () -> crds, () -> "");
        long maxVersion = 0;
        long maxUid = 0;
        int restored = 0;
        for (JsonNode obj : objects) {
            Optional<ResourceType> type = catalog.byKind(obj.path("apiVersion").asText(), obj.path("kind").asText());
            if (type.isEmpty()) {
                LOG.warn("sandbox state: skipping {} {} (unknown kind)", obj.path("kind").asText(), Pods.name(obj));
                continue;
            }
            if (obj.path("kind").asText().equals("Pod") && obj.isObject()) {
                forgetPodState((com.fasterxml.jackson.databind.node.ObjectNode) obj);
            }
            dispatcher.restore(type.get().collectionPath(obj.path("metadata").path("namespace").asText(null)), obj);
            maxVersion = Math.max(maxVersion, obj.path("metadata").path("resourceVersion").asLong(0));
            maxUid = Math.max(maxUid, sequentialUid(obj.path("metadata").path("uid").asText("")));
            restored++;
        }
        dispatcher.advanceResourceVersion(maxVersion);
        // the store numbers uids from a per-JVM counter: move it past the restored ones
        while (io.fabric8.kubernetes.client.utils.Utils.generateId().getLeastSignificantBits() < maxUid) {
            // each call hands out the next uid
        }
        return restored;
    }

    private static long sequentialUid(String uid) {
        try {
            java.util.UUID u = java.util.UUID.fromString(uid);
            return u.getMostSignificantBits() == 0 ? u.getLeastSignificantBits() : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** A restored pod is not running yet: the simulated kubelet starts it again. */
    private static void forgetPodState(com.fasterxml.jackson.databind.node.ObjectNode pod) {
        com.fasterxml.jackson.databind.node.ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
    }

    /** CRDs first (so their kinds are known), then namespaces, then everything else. */
    private static int restoreOrder(JsonNode obj) {
        return switch (obj.path("kind").asText()) {
            case "CustomResourceDefinition" -> 0;
            case "Namespace" -> 1;
            default -> 2;
        };
    }

    private List<JsonNode> customResourceDefinitions() {
        List<JsonNode> crds = new ArrayList<>();
        JsonNode list = dispatcher.parse(SandboxDispatcher.bodyOf(crud.dispatch(
                new io.fabric8.mockwebserver.http.RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.GET,
                        CRD_PATH, io.fabric8.mockwebserver.http.Headers.builder().build(),
                        new io.fabric8.mockwebserver.http.Buffer()))));
        if (list != null) {
            list.path("items").forEach(crds::add);
        }
        return crds;
    }

    private List<JsonNode> allObjects() {
        List<JsonNode> all = new ArrayList<>();
        for (String text : dispatcher.copyAll()) {
            JsonNode node = dispatcher.parse(text);
            if (node != null) {
                all.add(node);
            }
        }
        return all;
    }
}
