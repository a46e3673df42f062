package io.emrvke.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.emrvke.server.sandbox.api.ApiServer;
import io.emrvke.server.sandbox.api.TlsIdentity;
import io.emrvke.server.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded sandbox Kubernetes cluster: a Kubernetes API over HTTPS on a loopback port, asking for
 * the bearer token in the kubeconfig it writes ({@link ApiServer}), plus simulated controllers,
 * scheduler and kubelet. With a data dir, its objects, token and certificate survive a restart.
 *
 * <pre>
 * try (Sandbox sandbox = Sandbox.start(SandboxConfig.inMemory(200))) {
 *     sandbox.writeKubeconfig(dir.resolve("sandbox.kubeconfig"));
 *     ... talk to sandbox.url() like to any cluster, with the kubeconfig's token ...
 * }
 * </pre>
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    // after a failed save (e.g. a full disk), how soon to try again
    private static final long SAVE_RETRY_MS = 1_000;
    private static final int TOKEN_BYTES = 32;

    private final SandboxConfig config;
    private final ObjectMapper json = new ObjectMapper();
    private final StateFile stateFile;
    private final StateFile.State saved;
    private final String token;
    private final TlsIdentity tls;
    private final ApiServer api;
    private final ObjectStore store;
    private final ControlLoop loop = new ControlLoop();
    private final PodLogs podLogs = new PodLogs();
    private final EventRecorder events;
    private final ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-snapshot");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean saveFailing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int port;

    private Sandbox(SandboxConfig config) throws IOException {
        this.config = config;
        this.stateFile = config.dataDir() == null ? null
                : new StateFile(config.dataDir().resolve(SandboxConfig.STATE_FILE), json);
        this.saved = stateFile == null ? new StateFile.State(List.of(), null, null, null) : stateFile.load();
        this.token = saved.token() != null ? saved.token() : newToken();
        this.tls = tlsIdentity(saved, config.bind());
        this.api = new ApiServer(token, tls, ApiServer.DEFAULT_BOOKMARK_INTERVAL_MS);
        this.store = new ObjectStore(api);
        this.events = new EventRecorder(store, loop::busy);
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

    /** The saved TLS identity while it still fits the listen address, else a new one. */
    private static TlsIdentity tlsIdentity(StateFile.State saved, String bind) {
        if (saved.tlsKey() != null && saved.tlsCertificate() != null) {
            try {
                TlsIdentity kept = TlsIdentity.restore(saved.tlsKey(), saved.tlsCertificate());
                if (kept.covers(bind)) {
                    return kept;
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("sandbox state: a new TLS certificate ({})", e.getMessage());
            }
        }
        return TlsIdentity.generate(bind);
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void boot() throws IOException {
        int restored = api.restore(restartedPods(saved.objects()));
        api.startHistory();
        // what a real API server refuses is refused before anything, the seed included, is stored
        api.admission(io.emrvke.server.sandbox.api.Admission.answering(
                io.emrvke.server.sandbox.admission.Admission::refusal));
        ClusterSeed.apply(store);
        api.start(config.bind(), config.port());
        port = api.port();
        Scheduler scheduler = new Scheduler(() -> store.list("/api/v1/nodes"));
        Kubelet kubelet = new Kubelet(store, loop, scheduler, events, podLogs, config.podReadyMs());
        io.emrvke.server.sandbox.api.ResourceCatalog catalog = api.catalog();
        GarbageCollector gc = new GarbageCollector(store, loop, (ref, ns) -> pathOf(catalog,
                ref.path("apiVersion").asText(), ref.path("kind").asText(), ns, ref.path("name").asText()));
        ChangeRouter router = new ChangeRouter(store, loop, kubelet, events, gc, this::markDirty);
        api.podLogs(new KubeletLogs(podLogs));
        api.listener((method, path, object) -> router.changed(method, ApiPath.parse(path), object));
        List<JsonNode> all = api.snapshot();
        gc.seed(all, (obj, ns) -> pathOf(catalog, obj.path("apiVersion").asText(), obj.path("kind").asText(), ns,
                Pods.name(obj)));
        events.adopt(all.stream().filter(o -> "Event".equals(o.path("kind").asText())).toList());
        router.resyncNamespace(null); // pods found on disk go through the kubelet again
        markDirty();
        LOG.info("sandbox Kubernetes API at {} ({} objects restored{})", url(), restored,
                stateFile == null ? ", in memory" : " from " + stateFile.path());
    }

    /** The simulated containers' logs, for the API's {@code pods/{name}/log}. */
    public PodLogs podLogs() {
        return podLogs;
    }

    /** The API path of an object of that kind and name, or null for a kind the sandbox does not serve. */
    private static String pathOf(io.emrvke.server.sandbox.api.ResourceCatalog catalog, String apiVersion, String kind,
                                 String namespace, String name) {
        return catalog.byKind(apiVersion, kind).map(t -> t.collectionPath(namespace) + "/" + name).orElse(null);
    }

    /** A restored pod is not running yet: the simulated kubelet starts it again. */
    private static List<JsonNode> restartedPods(List<JsonNode> objects) {
        List<JsonNode> out = new ArrayList<>(objects.size());
        for (JsonNode obj : objects) {
            if (obj.path("kind").asText().equals("Pod") && obj.isObject()) {
                ObjectNode pod = ((ObjectNode) obj).deepCopy();
                pod.putObject("status").put("phase", "Pending");
                out.add(pod);
            } else {
                out.add(obj);
            }
        }
        return out;
    }

    /** The API's certificate (PEM), which clients trust as the cluster's certificate authority. */
    public String certificateAuthority() {
        return tls.certificatePem();
    }

    public String url() {
        return "https://" + config.bind() + ":" + port;
    }

    public int port() {
        return port;
    }

    public SandboxConfig config() {
        return config;
    }

    /**
     * A kubeconfig with cluster, user and context {@code sandbox} pointing at {@link #url()}, trusting
     * the API's own certificate, the user holding the API's bearer token.
     */
    public String kubeconfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: sandbox
                  user:
                    token: %s
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: default
                current-context: sandbox
                preferences: {}
                """.formatted(url(), Base64.getEncoder().encodeToString(tls.certificatePem().getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)), token);
    }

    /** A fabric8 client configuration for this sandbox, read from {@link #kubeconfig()} (token included). */
    public io.fabric8.kubernetes.client.Config clientConfig() {
        return io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig());
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
            stateFile.save(new StateFile.State(api.snapshot(), token, tls.privateKeyBase64(), tls.certificateBase64()));
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
        api.listener(null);
        loop.close();
        events.close();
        snapshots.shutdownNow();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("sandbox state not saved: {}", e.getMessage());
        }
        api.close();
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
}
